namespace Keelson.Validation.Checks;

/// <summary>Every check Keelson ships, in id order.</summary>
public static class BuiltInChecks
{
    /// <summary>All built-in checks.</summary>
    public static IReadOnlyList<ICheck> All { get; } =
    [
        new CapabilitiesCheck(), new ContainerResourcesCheck(), new PrivilegedCheck(), new PrivilegeEscalationCheck(), new ImagePullPolicyCheck(), new EphemeralStorageCheck(),
        new PdbPolicyCheck(), new HpaMinReplicasCheck(),
        new RunAsNonRootCheck(), new ReadOnlyRootFilesystemCheck(), new CronJobDeadlineCheck(), new EnvSecretLiteralCheck(), new ImageTagCheck(),
        new JobLimitsCheck(), new HostNamespacesCheck(), new HostPathCheck(), new SeccompCheck(), new IdenticalProbesCheck(), new ServiceTypeCheck(),
        new SensitiveHostMountCheck(), new SshPortCheck(), new UnsafeSysctlCheck(),
    ];

    /// <summary>All built-in checks across objects.</summary>
    public static IReadOnlyList<ISetCheck> AllSet { get; } =
    [
        new AvailabilityGuardsCheck(), new IngressBackendCheck(), new NetworkPolicySelectorCheck(), new DisruptionBudgetCheck(), new PodReferencesCheck(),
        new ScalingTargetCheck(), new ServiceSelectorCheck(), new StatefulSetServiceCheck(), new ProbesCheck(), new WorkloadSpreadCheck(),
    ];
}
