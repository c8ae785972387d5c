using System.Globalization;
using Keelson.Validation.Checks;
using Keelson.Validation.Loading;
using Keelson.Validation.Schema;
using static Keelson.Validation.ApiServer.RuleBuilder;

namespace Keelson.Validation.ApiServer;

/// <summary>The pod spec outside containers: restart and DNS policy, names, security context, resources (<c>ValidatePodSpec</c>, <c>ValidateResourceRequirements</c>).</summary>
internal static class PodSpecRules
{
    private static readonly string[] NativeResources = ["cpu", "memory", "ephemeral-storage"];

    public static readonly ApiRule[] All =
    [
        Rule("controller-restart-policy", FieldRules.ValueId, Controllers, "$pod.restartPolicy", s => s.Node is YamlValue { Value: not "Always" } v
            ? [new Problem($"restartPolicy '{v.Value}' is not supported for a {s.Document.Kind}", "Only Always is supported: its controller replaces pods that end.")] : [],
            "apps ValidatePodTemplateSpecForReplicaSet / ValidateDaemonSetSpec / ValidateStatefulSetSpec, core ValidatePodTemplateSpecForRC"),
        Rule("job-restart-policy", FieldRules.RequiredId, Jobs, "$pod", JobRestartPolicy, "batch validateJobSpec"),
        Rule("controller-active-deadline", FieldRules.ValueId, Controllers, "$pod.activeDeadlineSeconds", _ => [new Problem("activeDeadlineSeconds must not be specified in a controller's pod template", "Remove it; it would kill every pod after that many seconds.")],
            "apps ValidatePodTemplateSpecForReplicaSet / ValidateStatefulSetSpec / ValidateDaemonSetSpec"),
        Int("pod-active-deadline", Pods, "$pod.activeDeadlineSeconds", 1, int.MaxValue, "core ValidatePodSpec"),
        OneOf("dns-policy", Pods, "$pod.dnsPolicy", ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"], "core validateDNSPolicy"),
        Rule("dns-none-nameservers", FieldRules.RequiredId, Pods, "$pod", s => s.Scalar("dnsPolicy") == "None" && IsMissing((s.Get("dnsConfig") as YamlMap)?.Get("nameservers"))
            ? [new Problem("dnsConfig.nameservers must list at least one server when dnsPolicy is None", "Add dnsConfig.nameservers, or use another dnsPolicy.", s.Get("dnsConfig") is null ? "dnsConfig" : "dnsConfig.nameservers", s.Get("dnsConfig"))] : [], "core validatePodDNSConfig"),
        Rule("dns-config-nameservers", FieldRules.ValueId, Pods, "$pod.dnsConfig.nameservers", s => ListProblems(s, 3, Syntax.Ip, "nameservers"), "core validatePodDNSConfig (MaxDNSNameservers 3, IsValidIP)"),
        Rule("dns-config-searches", FieldRules.ValueId, Pods, "$pod.dnsConfig.searches", s => ListProblems(s, 32, v => Syntax.Dns1123Subdomain(v.TrimEnd('.')), "search domains"), "core validatePodDNSConfig (MaxDNSSearchPaths 32, IsDNS1123Subdomain)"),
        Required("dns-config-option-name", Pods, "$pod.dnsConfig.options[]", "name", "core validatePodDNSConfig"),
        Name("pod-hostname", Pods, "$pod.hostname", Syntax.Dns1123Label, "core ValidatePodSpec (ValidateDNS1123Label)"),
        Name("pod-subdomain", Pods, "$pod.subdomain", Syntax.Dns1123Label, "core ValidatePodSpec (ValidateDNS1123Label)"),
        Name("service-account-name", Pods, "$pod.serviceAccountName", Syntax.Dns1123Subdomain, "core ValidatePodSpec (ValidateServiceAccountName)"),
        Name("priority-class-name", Pods, "$pod.priorityClassName", Syntax.Dns1123Subdomain, "core ValidatePodSpec (ValidatePriorityClassName)"),
        Name("node-name", Pods, "$pod.nodeName", Syntax.Dns1123Subdomain, "core ValidatePodSpec (ValidateNodeName)"),
        OneOf("preemption-policy", Pods, "$pod.preemptionPolicy", ["PreemptLowerPriority", "Never"], "core validatePreemptionPolicy"),
        OneOf("pod-os-name", Pods, "$pod.os.name", ["linux", "windows"], "core validateOS"),
        Rule("share-process-namespace-host-pid", FieldRules.ValueId, Pods, "$pod", s => IsTrue(s.Get("shareProcessNamespace")) && IsTrue(s.Get("hostPID"))
            ? [new Problem("shareProcessNamespace and hostPID cannot both be enabled", "Drop one of them.", "shareProcessNamespace", s.Get("shareProcessNamespace"))] : [], "core validatePodSpecSecurityContext"),
        Name("host-alias-ip", Pods, "$pod.hostAliases[].ip", Syntax.Ip, "core validateHostAliases (IsValidIP)"),
        Name("host-alias-hostname", Pods, "$pod.hostAliases[].hostnames[]", Syntax.Dns1123Subdomain, "core validateHostAliases (IsDNS1123Subdomain)"),
        Int("pod-run-as-user", Pods, "$pod.securityContext.runAsUser", 0, int.MaxValue, "core validatePodSpecSecurityContext (IsValidUserID)"),
        Int("pod-run-as-group", Pods, "$pod.securityContext.runAsGroup", 0, int.MaxValue, "core validatePodSpecSecurityContext (IsValidGroupID)"),
        Int("pod-fs-group", Pods, "$pod.securityContext.fsGroup", 0, int.MaxValue, "core validatePodSpecSecurityContext (IsValidGroupID)"),
        Int("pod-supplemental-groups", Pods, "$pod.securityContext.supplementalGroups[]", 0, int.MaxValue, "core validatePodSpecSecurityContext (IsValidGroupID)"),
        OneOf("pod-fs-group-change-policy", Pods, "$pod.securityContext.fsGroupChangePolicy", ["OnRootMismatch", "Always"], "core validateFSGroupChangePolicy"),
        Required("pod-sysctl-name", Pods, "$pod.securityContext.sysctls[]", "name", "core validateSysctls"),
        Unique("pod-sysctl-duplicate", Pods, "$pod.securityContext.sysctls", item => (item as YamlMap)?.Scalar("name"), "sysctl", "core validateSysctls"),
        .. ContainerRules.SecurityProfiles("pod", "$pod.securityContext"),
        Rule("resource-name", FieldRules.ValueId, Pods, "$pod.$c[].resources", ResourceNames, "core validateContainerResourceName"),
        Rule("resource-non-negative", FieldRules.ValueId, Pods, "$pod.$c[].resources", NonNegative, "core ValidateResourceQuantityValue"),
        Rule("resource-request-above-limit", FieldRules.ValueId, Pods, "$pod.$c[].resources", RequestsWithinLimits, "core ValidateContainerResourceRequirements"),
        Rule("resource-extended-needs-limit", FieldRules.RequiredId, Pods, "$pod.$c[].resources", ExtendedNeedLimits, "core ValidateContainerResourceRequirements (IsOvercommitAllowed)"),
    ];

    private static IEnumerable<Problem> JobRestartPolicy(RuleSite s)
    {
        var policy = s.Get("restartPolicy");
        if (policy is null)
        {
            yield return new Problem("required field 'restartPolicy' is missing: a Job's pods must set OnFailure or Never", "Add restartPolicy: OnFailure (retry in place) or Never (a new pod per retry); the default, Always, is refused for Jobs.", "restartPolicy");
        }
        else if (policy is YamlValue { Value: var value } && value is not ("OnFailure" or "Never"))
        {
            var p = NotAllowed(value, ["OnFailure", "Never"]);
            yield return p with { Message = $"restartPolicy '{value}' is not allowed for a Job's pods", Field = "restartPolicy", At = policy };
        }
    }

    private static IEnumerable<Problem> ListProblems(RuleSite s, int max, Func<string, string?> syntax, string what)
    {
        if (s.Node is not YamlSeq items)
        {
            yield break;
        }

        if (items.Count > max)
        {
            yield return new Problem($"{items.Count} {what}, more than {max}", $"At most {max} are allowed.");
        }

        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is YamlValue v && syntax(v.Value) is { } rule)
            {
                yield return new Problem($"'{v.Value}' is not valid", $"Use {rule}.", Index(i), v);
            }
        }
    }

    /// <summary>Native resources (no domain, or a kubernetes.io domain) may be overcommitted; hugepages and extended resources may not.</summary>
    private static bool OvercommitAllowed(string name) =>
        (!name.Contains('/', StringComparison.Ordinal) || name.StartsWith("kubernetes.io/", StringComparison.Ordinal) || name.Contains(".kubernetes.io/", StringComparison.Ordinal))
        && !name.StartsWith("hugepages-", StringComparison.Ordinal);

    private static IEnumerable<(string List, YamlEntry Entry)> Quantities(RuleSite s)
    {
        foreach (var list in (string[])["requests", "limits"])
        {
            if (s.Get(list) is YamlMap map)
            {
                foreach (var entry in map.Entries)
                {
                    yield return (list, entry);
                }
            }
        }
    }

    private static IEnumerable<Problem> ResourceNames(RuleSite s)
    {
        foreach (var (list, entry) in Quantities(s))
        {
            var name = entry.Key;
            var ok = name.Contains('/', StringComparison.Ordinal)
                ? Syntax.QualifiedName(name) is null
                : NativeResources.Contains(name, StringComparer.Ordinal) || name.StartsWith("hugepages-", StringComparison.Ordinal);
            if (!ok)
            {
                yield return new Problem($"'{name}' is not a container resource", "Use cpu, memory, ephemeral-storage, hugepages-<size>, or an extended resource with a domain (nvidia.com/gpu).", $"{list}.{name}", entry.Value);
            }
        }
    }

    private static IEnumerable<Problem> NonNegative(RuleSite s)
    {
        foreach (var (list, entry) in Quantities(s))
        {
            if (entry.Value is YamlValue v && KubeQuantity.Parse(v.Value) is { } q)
            {
                if (q < 0)
                {
                    yield return new Problem($"{list} {entry.Key} '{v.Value}' is negative", "It must be greater than or equal to 0.", $"{list}.{entry.Key}", v);
                }
                else if (!OvercommitAllowed(entry.Key) && !entry.Key.StartsWith("hugepages-", StringComparison.Ordinal) && q != Math.Floor(q))
                {
                    yield return new Problem($"{list} {entry.Key} '{v.Value}' must be an integer", "Extended resources are counted in whole devices.", $"{list}.{entry.Key}", v);
                }
            }
        }
    }

    private static IEnumerable<Problem> RequestsWithinLimits(RuleSite s)
    {
        if (s.Get("requests") is not YamlMap requests || s.Get("limits") is not YamlMap limits)
        {
            yield break;
        }

        foreach (var entry in requests.Entries)
        {
            if (entry.Value is YamlValue r && KubeQuantity.Parse(r.Value) is { } request && limits.Get(entry.Key) is YamlValue l && KubeQuantity.Parse(l.Value) is { } limit)
            {
                if (!OvercommitAllowed(entry.Key) && request != limit)
                {
                    yield return new Problem($"request {entry.Key} '{r.Value}' must be equal to its limit '{l.Value}'", "Extended resources and hugepages cannot be overcommitted: set only the limit (the request copies it).", "requests." + entry.Key, r);
                }
                else if (request > limit)
                {
                    yield return new Problem(string.Create(CultureInfo.InvariantCulture, $"request {entry.Key} '{r.Value}' is more than its limit '{l.Value}'"), "Requests must be less than or equal to limits; raise the limit or lower the request.", "requests." + entry.Key, r);
                }
            }
        }
    }

    private static IEnumerable<Problem> ExtendedNeedLimits(RuleSite s)
    {
        if (s.Get("requests") is not YamlMap requests)
        {
            yield break;
        }

        var limits = s.Get("limits") as YamlMap;
        foreach (var entry in requests.Entries)
        {
            if (!OvercommitAllowed(entry.Key) && limits?.Get(entry.Key) is null)
            {
                yield return new Problem($"limit {entry.Key} is missing: it must be set for resources that cannot be overcommitted", $"Set limits.{entry.Key} (the request may then be left out).", "limits." + entry.Key, entry.Value);
            }
        }
    }
}
