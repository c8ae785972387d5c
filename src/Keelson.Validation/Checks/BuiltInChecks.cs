namespace Keelson.Validation.Checks;

/// <summary>Every check Keelson ships, in id order.</summary>
public static class BuiltInChecks
{
    /// <summary>All built-in checks.</summary>
    public static IReadOnlyList<ICheck> All { get; } =
    [
        new CapabilitiesCheck(), new ContainerResourcesCheck(), new PrivilegedCheck(), new PrivilegeEscalationCheck(), new ProbesCheck(),
        new RunAsNonRootCheck(), new ReadOnlyRootFilesystemCheck(), new CronJobDeadlineCheck(), new EnvSecretLiteralCheck(), new ImageTagCheck(),
        new JobLimitsCheck(), new HostNamespacesCheck(), new HostPathCheck(), new SeccompCheck(), new IdenticalProbesCheck(), new ServiceTypeCheck(),
    ];
}
