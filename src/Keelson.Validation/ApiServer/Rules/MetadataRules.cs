using System.Text;
using Keelson.Validation.Loading;
using Keelson.Validation.Schema;
using static Keelson.Validation.ApiServer.RuleBuilder;

namespace Keelson.Validation.ApiServer;

/// <summary>Object metadata: names per kind, namespace, annotations, finalizers, label maps outside <c>metadata.labels</c> (<c>ValidateObjectMeta</c> and friends).</summary>
internal static class MetadataRules
{
    private const int AnnotationBytes = 256 * 1024;

    public static readonly ApiRule[] All =
    [
        // Names with a stricter syntax than the DNS subdomain FieldRules checks for every kind; a name that is not even a
        // subdomain is left to that finding, so one name gets one finding.
        StricterName("namespace-name-label", K("Namespace"), Syntax.Dns1123Label, "core ValidateNamespaceName (NameIsDNSLabel)"),
        StricterName("statefulset-name-label", K("StatefulSet"), Syntax.Dns1123Label, "apps ValidateStatefulSetName (NameIsDNSLabel)"),
        StricterName("service-name-dns1035", K("Service"), Syntax.Dns1035Label, "core ValidateServiceName (NameIsDNS1035Label)"),
        Rule("cronjob-name-length", FieldRules.ValueId, K("CronJob"), "metadata.name", s => s.Node is YamlValue { Value.Length: > 52 } v
            ? [new Problem($"name '{v.Value}' is {v.Value.Length} characters, more than 52", "The CronJob controller appends an 11-character suffix to name its Jobs; shorten it to 52 characters.")] : [],
            "batch ValidateCronJobCreate"),
        Name("rbac-name", K("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"), "metadata.name", Syntax.PathSegmentName, "rbac ValidateRBACName (path.IsValidPathSegmentName)"),
        Name("metadata-namespace", Every, "metadata.namespace", Syntax.Dns1123Label, "core ValidateObjectMeta (ValidateNamespaceName)"),
        Rule("annotation-key", FieldRules.NameId, Every, "metadata.annotations", s => AnnotationKeys(s), "core ValidateAnnotations"),
        Rule("template-annotation-key", FieldRules.NameId, [.. Pods.Where(k => k != "Pod")], "$tpl.metadata.annotations", s => AnnotationKeys(s), "core ValidatePodTemplateSpec (ValidateAnnotations)"),
        Rule("annotations-size", FieldRules.ValueId, Every, "metadata.annotations", s => AnnotationSize(s), "core ValidateAnnotationsSize (256 KiB)"),
        Name("finalizer-name", Every, "metadata.finalizers[]", Syntax.QualifiedName, "core ValidateFinalizers (ValidateFinalizerName)"),
        Name("namespace-spec-finalizer", K("Namespace"), "spec.finalizers[]", Syntax.QualifiedName, "core validateFinalizerName (namespace spec)"),
        LabelMap("cronjob-template-labels", K("CronJob"), "spec.jobTemplate.spec.template.metadata.labels", "batch ValidateCronJobSpec (ValidateLabels on the pod template)"),
        LabelMap("cronjob-job-labels", K("CronJob"), "spec.jobTemplate.metadata.labels", "batch ValidateJobTemplateSpec (ValidateObjectMeta)"),
        LabelMap("node-selector-labels", Pods, "$pod.nodeSelector", "core ValidatePodSpec (ValidateLabels on nodeSelector)"),
        LabelMap("service-selector-labels", K("Service"), "spec.selector", "core ValidateService (ValidateLabels on spec.selector)"),
    ];

    private static ApiRule StricterName(string name, string[] kinds, Func<string, string?> syntax, string upstream) =>
        Rule(name, FieldRules.NameId, kinds, "metadata.name", s => s.Node is YamlValue v && Syntax.Dns1123Subdomain(v.Value) is null && syntax(v.Value) is { } rule
            ? [new Problem($"name '{v.Value}' is not valid for a {s.Document.Kind}", $"Use {rule}.")] : [], upstream);

    /// <summary>Keys (qualified names) and values (label values) of a map written like labels.</summary>
    internal static ApiRule LabelMap(string name, string[] kinds, string path, string upstream) =>
        Rule(name, FieldRules.NameId, kinds, path, s => LabelProblems(s.Node), upstream);

    internal static IEnumerable<Problem> LabelProblems(YamlElement node)
    {
        if (node is not YamlMap map)
        {
            yield break;
        }

        foreach (var entry in map.Entries)
        {
            if (Syntax.QualifiedName(entry.Key) is { } keyRule)
            {
                yield return new Problem($"label key '{entry.Key}' is not valid", $"Use {keyRule}.", entry.Key, entry.Value);
            }
            else if (entry.Value is YamlValue v && Syntax.LabelValue(v.Value) is { } valueRule)
            {
                yield return new Problem($"label value '{v.Value}' is not valid", $"Use {valueRule}.", entry.Key, entry.Value);
            }
        }
    }

    private static IEnumerable<Problem> AnnotationKeys(RuleSite site)
    {
        foreach (var entry in site.Map?.Entries ?? [])
        {
            // Upstream lower-cases annotation keys before checking them.
            if (Syntax.QualifiedName(entry.Key.ToLowerInvariant()) is { } rule)
            {
                yield return new Problem($"annotation key '{entry.Key}' is not valid", $"Use {rule}.", entry.Key, entry.Value);
            }
        }
    }

    private static IEnumerable<Problem> AnnotationSize(RuleSite site)
    {
        var bytes = site.Map?.Entries.Sum(e => Encoding.UTF8.GetByteCount(e.Key) + (e.Value is YamlValue v ? Encoding.UTF8.GetByteCount(v.Value) : 0)) ?? 0;
        return bytes > AnnotationBytes
            ? [new Problem($"annotations take {bytes} bytes, more than 262144 (256 KiB)", "Move large data into a ConfigMap.")] : [];
    }
}
