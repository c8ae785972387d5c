using Keelson.Validation.Loading;
using Keelson.Validation.Schema;
using static Keelson.Validation.ApiServer.RuleBuilder;

namespace Keelson.Validation.ApiServer;

/// <summary>Containers and init containers: names, ports, environment, probes, security context (<c>validateContainers</c>, <c>validateInitContainers</c>).</summary>
internal static class ContainerRules
{
    private static readonly string[] ProbeHandlers = ["exec", "httpGet", "tcpSocket", "grpc"];
    private static readonly string[] EnvSources = ["fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef", "fileKeyRef"];

    private static readonly string[] FieldPaths =
        ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"];

    private static readonly string[] ResourceFields =
        ["limits.cpu", "limits.memory", "limits.ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage"];

    public static readonly ApiRule[] All =
    [
        Required("containers-required", Pods, "$pod", "containers", "core ValidatePodSpec (validateContainers: at least one container)"),
        Required("init-container-name-required", Pods, "$pod.initContainers[]", "name", "core validateInitContainers (validateContainerCommon)"),
        Required("init-container-image-required", Pods, "$pod.initContainers[]", "image", "core validateInitContainers (validateContainerCommon)"),
        Name("container-name", Pods, "$pod.$c[].name", Syntax.Dns1123Label, "core validateContainerCommon (ValidateDNS1123Label)"),
        Required("container-port-required", Pods, "$pod.$c[].ports[]", "containerPort", "core validateContainerPorts"),
        Name("container-port-name", Pods, "$pod.$c[].ports[].name", Syntax.PortName, "core validateContainerPorts (IsValidPortName)"),
        Int("host-port-range", Pods, "$pod.$c[].ports[].hostPort", 0, 65535, "core validateContainerPorts (IsValidPortNum when set)"),
        Rule("host-network-host-port", FieldRules.ValueId, Pods, "$pod.$c[].ports[]", HostNetworkPort, "core validateHostNetwork"),
        Required("env-name-required", Pods, "$pod.$c[].env[]", "name", "core ValidateEnv"),
        Name("env-name", Pods, "$pod.$c[].env[].name", Syntax.EnvVarName, "core ValidateEnv (IsEnvVarName, relaxed as from 1.32)"),
        Rule("env-value-and-valueFrom", FieldRules.ValueId, Pods, "$pod.$c[].env[]", s => s.Get("valueFrom") is not null && s.Scalar("value") is { Length: > 0 }
            ? [new Problem("'valueFrom' may not be specified when 'value' is not empty", "Keep one of 'value' and 'valueFrom'.", "valueFrom", s.Get("valueFrom"))] : [], "core validateEnvVarValueFrom"),
        Rule("env-valueFrom-one-source", FieldRules.ValueId, Pods, "$pod.$c[].env[].valueFrom", s => s.Map is { } m ? ExactlyOne(m, EnvSources) : [], "core validateEnvVarValueFrom"),
        Required("env-configMapKeyRef-key", Pods, "$pod.$c[].env[].valueFrom.configMapKeyRef", "key", "core validateConfigMapKeySelector"),
        Required("env-secretKeyRef-key", Pods, "$pod.$c[].env[].valueFrom.secretKeyRef", "key", "core validateSecretKeySelector"),
        Name("env-configMapKeyRef-key-syntax", Pods, "$pod.$c[].env[].valueFrom.configMapKeyRef.key", Syntax.ConfigMapKey, "core validateConfigMapKeySelector (IsConfigMapKey)"),
        Name("env-secretKeyRef-key-syntax", Pods, "$pod.$c[].env[].valueFrom.secretKeyRef.key", Syntax.ConfigMapKey, "core validateSecretKeySelector (IsConfigMapKey)"),
        Required("env-configMapKeyRef-name", Pods, "$pod.$c[].env[].valueFrom.configMapKeyRef", "name", "core validateConfigMapKeySelector (ValidateNameFunc: an empty name is refused)"),
        Required("env-secretKeyRef-name", Pods, "$pod.$c[].env[].valueFrom.secretKeyRef", "name", "core validateSecretKeySelector (ValidateNameFunc: an empty name is refused)"),
        Name("env-configMapKeyRef-name-syntax", Pods, "$pod.$c[].env[].valueFrom.configMapKeyRef.name", Syntax.Dns1123Subdomain, "core validateConfigMapKeySelector (ValidateSecretName)"),
        Name("env-secretKeyRef-name-syntax", Pods, "$pod.$c[].env[].valueFrom.secretKeyRef.name", Syntax.Dns1123Subdomain, "core validateSecretKeySelector (ValidateSecretName)"),
        Name("envFrom-prefix", Pods, "$pod.$c[].envFrom[].prefix", Syntax.EnvVarName, "core ValidateEnvFrom (IsEnvVarName, relaxed as from 1.32)"),
        Required("env-fieldRef-path", Pods, "$pod.$c[].env[].valueFrom.fieldRef", "fieldPath", "core validateObjectFieldSelector"),
        Rule("env-fieldRef-supported", FieldRules.ValueId, Pods, "$pod.$c[].env[].valueFrom.fieldRef.fieldPath", s => s.Node is YamlValue v && !FieldPathSupported(v.Value)
            ? [NotAllowed(v.Value, [.. FieldPaths, "metadata.labels['KEY']", "metadata.annotations['KEY']"])] : [], "core validateEnvVarValueFrom (validFieldPathExpressionsEnv)"),
        Required("env-resourceFieldRef-resource", Pods, "$pod.$c[].env[].valueFrom.resourceFieldRef", "resource", "core validateContainerResourceFieldSelector"),
        Rule("env-resourceFieldRef-supported", FieldRules.ValueId, Pods, "$pod.$c[].env[].valueFrom.resourceFieldRef.resource", s => s.Node is YamlValue v
            && !ResourceFields.Contains(v.Value, StringComparer.Ordinal) && !v.Value.StartsWith("limits.hugepages-", StringComparison.Ordinal) && !v.Value.StartsWith("requests.hugepages-", StringComparison.Ordinal)
            ? [NotAllowed(v.Value, ResourceFields)] : [], "core validateContainerResourceFieldSelector"),
        Rule("envFrom-one-source", FieldRules.ValueId, Pods, "$pod.$c[].envFrom[]", s => s.Map is { } m ? ExactlyOne(m, ["configMapRef", "secretRef"]) : [], "core ValidateEnvFrom"),
        Required("envFrom-configMapRef-name", Pods, "$pod.$c[].envFrom[].configMapRef", "name", "core validateConfigMapEnvSource"),
        Required("envFrom-secretRef-name", Pods, "$pod.$c[].envFrom[].secretRef", "name", "core validateSecretEnvSource"),
        OneOf("termination-message-policy", Pods, "$pod.$c[].terminationMessagePolicy", ["File", "FallbackToLogsOnError"], "core validateContainerCommon"),
        OneOf("init-container-restart-policy", Pods, "$pod.initContainers[].restartPolicy", ["Always"], "core validateInitContainers (only sidecars set it)"),
        Rule("container-restart-policy", FieldRules.ValueId, Pods, "$pod.containers[].restartPolicy", _ => [new Problem("restartPolicy may not be set for regular containers", "Remove it: the pod's restartPolicy applies; only init containers (sidecars) take restartPolicy: Always.")],
            "core validateContainers (may not be set for non-init containers)"),
        Rule("init-container-probes", FieldRules.ValueId, Pods, "$pod.initContainers[]", InitProbes, "core validateInitContainers"),
        .. Probe("livenessProbe"), .. Probe("readinessProbe"), .. Probe("startupProbe"),
        Rule("probe-success-threshold", FieldRules.ValueId, Pods, "$pod.$c[]", SuccessThreshold, "core validateLivenessProbe / validateStartupProbe"),
        Rule("readiness-probe-grace-period", FieldRules.ValueId, Pods, "$pod.$c[].readinessProbe", s => s.Get("terminationGracePeriodSeconds") is { } g
            ? [new Problem("'terminationGracePeriodSeconds' must not be set for readiness probes", "Remove it; it applies to liveness and startup probes only.", "terminationGracePeriodSeconds", g)] : [], "core validateReadinessProbe"),
        Rule("privileged-no-escalation", FieldRules.ValueId, Pods, "$pod.$c[].securityContext", NoEscalation, "core ValidateSecurityContext (AllowPrivilegeEscalation)"),
        Int("container-run-as-user", Pods, "$pod.$c[].securityContext.runAsUser", 0, int.MaxValue, "core ValidateSecurityContext (IsValidUserID)"),
        Int("container-run-as-group", Pods, "$pod.$c[].securityContext.runAsGroup", 0, int.MaxValue, "core ValidateSecurityContext (IsValidGroupID)"),
        OneOf("container-proc-mount", Pods, "$pod.$c[].securityContext.procMount", ["Default", "Unmasked"], "core ValidateSecurityContext (validProcMountType)"),
        .. SecurityProfiles("container", "$pod.$c[].securityContext"),
    ];

    /// <summary>Seccomp and AppArmor profiles, in the pod's and in each container's security context.</summary>
    internal static ApiRule[] SecurityProfiles(string prefix, string context) =>
    [
        OneOf($"{prefix}-seccomp-type", Pods, context + ".seccompProfile.type", ["RuntimeDefault", "Unconfined", "Localhost"], "core validateSeccompProfileField"),
        Rule($"{prefix}-seccomp-localhost", FieldRules.ValueId, Pods, context + ".seccompProfile", LocalhostProfile, "core validateSeccompProfileField"),
        OneOf($"{prefix}-apparmor-type", Pods, context + ".appArmorProfile.type", ["RuntimeDefault", "Unconfined", "Localhost"], "core ValidateAppArmorProfileField"),
        Rule($"{prefix}-apparmor-localhost", FieldRules.ValueId, Pods, context + ".appArmorProfile", LocalhostProfile, "core ValidateAppArmorProfileField"),
    ];

    private static ApiRule[] Probe(string probe) =>
    [
        Rule($"{probe}-handler", FieldRules.ValueId, Pods, $"$pod.$c[].{probe}", s => s.Map is { } m ? ExactlyOne(m, ProbeHandlers) : [], "core validateProbe (validateHandler)"),
        Rule($"{probe}-non-negative", FieldRules.ValueId, Pods, $"$pod.$c[].{probe}", NonNegativeTimings, "core validateProbe (ValidateNonnegativeField)"),
        Rule($"{probe}-port", FieldRules.ValueId, Pods, $"$pod.$c[].{probe}", ProbePorts, "core validateHTTPGetAction / validateTCPSocketAction (ValidatePortNumOrName)"),
        OneOf($"{probe}-scheme", Pods, $"$pod.$c[].{probe}.httpGet.scheme", ["HTTP", "HTTPS"], "core validateHTTPGetAction"),
        Int($"{probe}-grace-period", Pods, $"$pod.$c[].{probe}.terminationGracePeriodSeconds", 1, long.MaxValue, "core validateProbe"),
    ];

    private static bool FieldPathSupported(string path) =>
        FieldPaths.Contains(path, StringComparer.Ordinal)
        || ((path.StartsWith("metadata.labels['", StringComparison.Ordinal) || path.StartsWith("metadata.annotations['", StringComparison.Ordinal)) && path.EndsWith("']", StringComparison.Ordinal));

    private static IEnumerable<Problem> HostNetworkPort(RuleSite s)
    {
        if (!IsTrue(s.PodSpec?.Get("hostNetwork")) || s.Get("hostPort") is not { } hostPort || Long(hostPort) is not { } host || Long(s.Get("containerPort")) is not { } container || host == container)
        {
            yield break;
        }

        yield return new Problem($"hostPort {host} must match containerPort {container} when hostNetwork is true", "With hostNetwork the container listens on the node: drop hostPort or make it equal.", "hostPort", hostPort);
    }

    private static IEnumerable<Problem> InitProbes(RuleSite s)
    {
        if (s.Scalar("restartPolicy") == "Always")
        {
            yield break;
        }

        foreach (var field in (string[])["livenessProbe", "readinessProbe", "startupProbe", "lifecycle"])
        {
            if (s.Get(field) is { } node)
            {
                yield return new Problem($"'{field}' may not be set for init containers without restartPolicy: Always", "Remove it, or make the init container a sidecar with restartPolicy: Always.", field, node);
            }
        }
    }

    private static IEnumerable<Problem> NonNegativeTimings(RuleSite s)
    {
        foreach (var field in (string[])["initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"])
        {
            if (Long(s.Get(field)) is < 0 and var n)
            {
                yield return new Problem($"{field} {n} is negative", "It must be greater than or equal to 0.", field, s.Get(field));
            }
        }
    }

    private static IEnumerable<Problem> ProbePorts(RuleSite s)
    {
        foreach (var handler in (string[])["httpGet", "tcpSocket", "grpc"])
        {
            if ((s.Get(handler) as YamlMap)?.Get("port") is YamlValue { IsNull: false } port
                && (handler == "grpc" ? (Long(port) is >= 1 and <= 65535 ? null : "a port number 1–65535") : Syntax.NumberOrPortName(port.Value, port.IsPlain)) is { } rule)
            {
                yield return new Problem($"probe port '{port.Value}' is not valid", $"Use {rule}.", handler + ".port", port);
            }
        }
    }

    private static IEnumerable<Problem> SuccessThreshold(RuleSite s)
    {
        foreach (var probe in (string[])["livenessProbe", "startupProbe"])
        {
            // 0 is defaulted to 1; anything else but 1 is refused.
            if ((s.Get(probe) as YamlMap)?.Get("successThreshold") is { } node && Long(node) is { } n and not (0 or 1))
            {
                yield return new Problem($"{probe} successThreshold {n} must be 1", "Liveness and startup probes succeed once; only readiness probes take another threshold.", probe + ".successThreshold", node);
            }
        }
    }

    private static IEnumerable<Problem> NoEscalation(RuleSite s)
    {
        if (s.Get("allowPrivilegeEscalation") is YamlValue { Value: "false" or "False" or "FALSE" } escalation)
        {
            if (IsTrue(s.Get("privileged")))
            {
                yield return new Problem("cannot set allowPrivilegeEscalation to false and privileged to true", "A privileged container can always escalate; drop one of them.", "allowPrivilegeEscalation", escalation);
            }

            if ((s.Get("capabilities") as YamlMap)?.Get("add") is YamlSeq add && add.OfType<YamlValue>().Any(c => c.Value is "SYS_ADMIN" or "CAP_SYS_ADMIN"))
            {
                yield return new Problem("cannot set allowPrivilegeEscalation to false and add the SYS_ADMIN capability", "SYS_ADMIN allows escalation; drop one of them.", "allowPrivilegeEscalation", escalation);
            }
        }
    }

    private static IEnumerable<Problem> LocalhostProfile(RuleSite s)
    {
        var type = s.Scalar("type");
        var profile = s.Get("localhostProfile");
        if (type == "Localhost" && IsMissing(profile))
        {
            yield return new Problem("localhostProfile is required when type is Localhost", "Name the profile file on the node.", "localhostProfile");
        }
        else if (type is not null and not "Localhost" && profile is not null)
        {
            yield return new Problem("localhostProfile can only be set when type is Localhost", "Remove it, or set type: Localhost.", "localhostProfile", profile);
        }
    }
}
