using System.Collections.Frozen;
using Keelson.Validation.Loading;
using Keelson.Validation.Schema;

namespace Keelson.Validation.ApiServer;

/// <summary>
/// Runs the API server's own validation rules (<see cref="All"/>) on one object. Rule paths may use placeholders, expanded per
/// kind: <c>$tpl</c> the pod template, <c>$pod</c> its spec, <c>$job</c> a Job's spec (also inside a CronJob), and <c>$c</c>
/// both <c>containers</c> and <c>initContainers</c>.
/// </summary>
public static class ApiServerRules
{
    /// <summary>The apiVersion of each kind the rules are written for; other versions of a kind (and custom kinds of the same name) are left alone.</summary>
    public static readonly FrozenDictionary<string, string> Versions = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Pod"] = "v1", ["PodTemplate"] = "v1", ["ReplicationController"] = "v1", ["Service"] = "v1", ["ConfigMap"] = "v1", ["Secret"] = "v1",
        ["PersistentVolumeClaim"] = "v1", ["Namespace"] = "v1", ["ServiceAccount"] = "v1",
        ["Deployment"] = "apps/v1", ["StatefulSet"] = "apps/v1", ["DaemonSet"] = "apps/v1", ["ReplicaSet"] = "apps/v1",
        ["Job"] = "batch/v1", ["CronJob"] = "batch/v1",
        ["Ingress"] = "networking.k8s.io/v1", ["NetworkPolicy"] = "networking.k8s.io/v1",
        ["HorizontalPodAutoscaler"] = "autoscaling/v2", ["PodDisruptionBudget"] = "policy/v1",
        ["Role"] = "rbac.authorization.k8s.io/v1", ["ClusterRole"] = "rbac.authorization.k8s.io/v1",
        ["RoleBinding"] = "rbac.authorization.k8s.io/v1", ["ClusterRoleBinding"] = "rbac.authorization.k8s.io/v1",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every rule, grouped by the area of upstream validation it comes from.</summary>
    public static IReadOnlyList<ApiRule> All { get; } =
    [
        .. MetadataRules.All, .. ContainerRules.All, .. PodSpecRules.All, .. SchedulingRules.All, .. VolumeRules.All,
        .. WorkloadRules.All, .. JobRules.All, .. ServiceRules.All, .. IngressRules.All, .. NetworkPolicyRules.All,
        .. ConfigRules.All, .. AutoscalingRules.All, .. RbacRules.All,
    ];

    private static readonly FrozenDictionary<string, RuleTrie> ByKind = Compile();

    /// <summary>Adds the findings of every rule for the object's kind.</summary>
    public static void Check(ManifestDocument document, List<Finding> findings)
    {
        foreach (var (_, finding) in Evaluate(document))
        {
            findings.Add(finding);
        }
    }

    /// <summary>The findings of each rule for one object, with the rule that produced it (tests check both).</summary>
    internal static IEnumerable<(ApiRule Rule, Finding Finding)> Evaluate(ManifestDocument document)
    {
        if (!ByKind.TryGetValue(document.Kind, out var rules) || !Versions.TryGetValue(document.Kind, out var version) || document.ApiVersion != version)
        {
            yield break;
        }

        var podSpec = TemplatePath(document.Kind) is { } template ? document.Node.At(Join(template, "spec")) as YamlMap : null;
        var matches = new List<(ApiRule Rule, FieldPattern Pattern, FieldMatch Match)>();
        rules.Walk(document.Node, -1, -1, matches);
        foreach (var (rule, pattern, match) in matches)
        {
            foreach (var problem in rule.Check(new RuleSite(document, match.Node, podSpec)))
            {
                var path = pattern.Render(match);
                path = problem.Field is null ? path : problem.Field.StartsWith('[') ? path + problem.Field : Join(path, problem.Field);
                yield return (rule, FieldRules.Finding(document, rule.Id, (problem.At ?? match.Node).Line, path, problem.Message, problem.Hint));
            }
        }
    }

    /// <summary>The path of a kind's pod template ("" for a Pod itself), or null for kinds without one.</summary>
    internal static string? TemplatePath(string kind) => kind switch
    {
        "Pod" => "",
        "PodTemplate" => "template",
        "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "ReplicationController" or "Job" => "spec.template",
        "CronJob" => "spec.jobTemplate.spec.template",
        _ => null,
    };

    /// <summary>The concrete paths of a rule's path for one kind.</summary>
    internal static IEnumerable<string> Expand(string path, string kind)
    {
        var template = TemplatePath(kind);
        if ((path.Contains("$tpl", StringComparison.Ordinal) || path.Contains("$pod", StringComparison.Ordinal)) && template is null)
        {
            throw new InvalidOperationException($"rule path '{path}' needs a pod template, which {kind} has not");
        }

        var job = kind switch { "Job" => "spec", "CronJob" => "spec.jobTemplate.spec", _ => null };
        if (path.Contains("$job", StringComparison.Ordinal) && job is null)
        {
            throw new InvalidOperationException($"rule path '{path}' needs a Job spec, which {kind} has not");
        }

        var concrete = path.Replace("$pod", Join(template ?? "", "spec"), StringComparison.Ordinal).Replace("$tpl", template ?? "", StringComparison.Ordinal)
            .Replace("$job", job ?? "", StringComparison.Ordinal);
        concrete = string.Join('.', concrete.Split('.', StringSplitOptions.RemoveEmptyEntries));
        return concrete.Contains("$c", StringComparison.Ordinal)
            ? [concrete.Replace("$c", "initContainers", StringComparison.Ordinal), concrete.Replace("$c", "containers", StringComparison.Ordinal)]
            : [concrete];
    }

    private static FrozenDictionary<string, RuleTrie> Compile()
    {
        var tries = new Dictionary<string, RuleTrie>(StringComparer.Ordinal);
        foreach (var rule in All)
        {
            foreach (var kind in rule.Kinds)
            {
                if (!tries.TryGetValue(kind, out var trie))
                {
                    trie = new RuleTrie();
                    tries[kind] = trie;
                }

                foreach (var path in Expand(rule.Path, kind))
                {
                    trie.Add(rule, path);
                }
            }
        }

        return tries.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : key.Length == 0 ? path : path + "." + key;
}
