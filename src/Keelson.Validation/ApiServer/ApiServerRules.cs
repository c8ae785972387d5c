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

    // A kind's trie is built the first time an object of that kind is checked: a one-file run meets one or two kinds
    // and need not pay for the tries of all of them.
    private static readonly Dictionary<string, Lazy<RuleTrie>> ByKind = Compile();

    // The matches of one object's walk; reused so a walk allocates nothing but the findings.
    [ThreadStatic]
    private static List<(ApiRule Rule, FieldPattern Pattern, FieldMatch Match)>? reusedMatches;

    /// <summary>Adds the findings of every rule for the object's kind.</summary>
    public static void Check(ManifestDocument document, List<Finding> findings) => Evaluate(document, findings, null);

    /// <summary>The findings of each rule for one object, with the rule that produced it (tests check both).</summary>
    internal static IEnumerable<(ApiRule Rule, Finding Finding)> Evaluate(ManifestDocument document)
    {
        var findings = new List<Finding>();
        var rules = new List<ApiRule>();
        Evaluate(document, findings, rules);
        return rules.Zip(findings);
    }

    private static void Evaluate(ManifestDocument document, List<Finding> findings, List<ApiRule>? rules)
    {
        if (!ByKind.TryGetValue(document.Kind, out var trie) || !Versions.TryGetValue(document.Kind, out var version) || document.ApiVersion != version)
        {
            return;
        }

        var podSpec = TemplatePath(document.Kind) is { } template ? document.Node.At(Join(template, "spec")) as YamlMap : null;
        var matches = reusedMatches ?? [];
        reusedMatches = null;
        try
        {
            trie.Value.Walk(document.Node, -1, -1, matches);
            foreach (var (rule, pattern, match) in matches)
            {
                foreach (var problem in rule.Check(new RuleSite(document, match.Node, podSpec)))
                {
                    var path = pattern.Render(match);
                    path = problem.Field is null ? path : problem.Field.StartsWith('[') ? path + problem.Field : Join(path, problem.Field);
                    findings.Add(FieldRules.Finding(document, rule.Id, (problem.At ?? match.Node).Line, path, problem.Message, problem.Hint));
                    rules?.Add(rule);
                }
            }
        }
        finally
        {
            matches.Clear();
            reusedMatches = matches;
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

    private static Dictionary<string, Lazy<RuleTrie>> Compile()
    {
        var byKind = new Dictionary<string, List<ApiRule>>(StringComparer.Ordinal);
        foreach (var rule in All)
        {
            foreach (var kind in rule.Kinds)
            {
                if (!byKind.TryGetValue(kind, out var rules))
                {
                    rules = [];
                    byKind[kind] = rules;
                }

                rules.Add(rule);
            }
        }

        var tries = new Dictionary<string, Lazy<RuleTrie>>(byKind.Count, StringComparer.Ordinal);
        foreach (var (kind, rules) in byKind)
        {
            tries[kind] = new Lazy<RuleTrie>(() =>
            {
                var trie = new RuleTrie();
                foreach (var rule in rules)
                {
                    foreach (var path in Expand(rule.Path, kind))
                    {
                        trie.Add(rule, path);
                    }
                }

                return trie;
            });
        }

        return tries;
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : key.Length == 0 ? path : path + "." + key;
}
