using System.Globalization;
using Keelson.Spec.Parsing;
using Keelson.Spec.Schema;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Schema;

/// <summary>
/// What the generated models do not carry: required fields, closed value sets, number ranges and name syntax.
/// One table; each entry has a test. Paths use <c>[]</c> for "every item of a list".
/// </summary>
public static class FieldRules
{
    /// <summary>A required field is missing.</summary>
    public const string RequiredId = "schema-required";

    /// <summary>A value outside its closed set or range.</summary>
    public const string ValueId = "schema-value";

    /// <summary>A name or label that breaks Kubernetes syntax.</summary>
    public const string NameId = "schema-name";

    private static readonly string[] Workloads = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"];

    private static readonly string[] PodSpecs =
        ["spec", "spec.template.spec", "spec.jobTemplate.spec.template.spec"];

    /// <summary>Required fields per kind (<c>*</c> for every kind).</summary>
    public static readonly IReadOnlyList<(string Kind, string Path)> Required =
    [
        ("*", "metadata.name"),
        .. Workloads.SelectMany(k => new[] { (k, "spec.selector"), (k, "spec.template") }),
        ("StatefulSet", "spec.serviceName"),
        ("Job", "spec.template"),
        ("CronJob", "spec.schedule"),
        ("CronJob", "spec.jobTemplate"),
        ("HorizontalPodAutoscaler", "spec.scaleTargetRef"),
        ("HorizontalPodAutoscaler", "spec.maxReplicas"),
        ("Service", "spec.ports[].port"),
        ("Ingress", "spec.rules[].http.paths[].pathType"),
        ("Ingress", "spec.rules[].http.paths[].backend"),
        .. PodSpecs.SelectMany(p => new[] { ("*", p + ".containers[].name"), ("*", p + ".containers[].image") }),
    ];

    /// <summary>Closed value sets per path.</summary>
    public static readonly IReadOnlyList<(string Kind, string Path, string[] Allowed)> Enums =
    [
        ("Service", "spec.type", ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]),
        ("Service", "spec.ports[].protocol", ["TCP", "UDP", "SCTP"]),
        ("Deployment", "spec.strategy.type", ["RollingUpdate", "Recreate"]),
        ("CronJob", "spec.concurrencyPolicy", ["Allow", "Forbid", "Replace"]),
        ("Ingress", "spec.rules[].http.paths[].pathType", ["Exact", "Prefix", "ImplementationSpecific"]),
        .. PodSpecs.SelectMany(p => new (string, string, string[])[]
        {
            ("*", p + ".restartPolicy", ["Always", "OnFailure", "Never"]),
            ("*", p + ".containers[].imagePullPolicy", ["Always", "IfNotPresent", "Never"]),
            ("*", p + ".containers[].ports[].protocol", ["TCP", "UDP", "SCTP"]),
            ("*", p + ".tolerations[].operator", ["Exists", "Equal"]),
            ("*", p + ".tolerations[].effect", ["NoSchedule", "PreferNoSchedule", "NoExecute"]),
        }),
    ];

    /// <summary>Port numbers, 1–65535.</summary>
    public static readonly IReadOnlyList<(string Kind, string Path)> Ports =
    [
        ("Service", "spec.ports[].port"),
        .. PodSpecs.Select(p => ("*", p + ".containers[].ports[].containerPort")),
    ];

    private static readonly (string Kind, FieldPattern Parent, string Field)[] RequiredPatterns =
        [.. Required.Select(r => (r.Kind, new FieldPattern(Parent(r.Path)), r.Path[(r.Path.LastIndexOf('.') + 1)..]))];

    private static readonly (string Kind, FieldPattern Pattern, string[] Allowed)[] EnumPatterns =
        [.. Enums.Select(e => (e.Kind, new FieldPattern(e.Path), e.Allowed))];

    private static readonly (string Kind, FieldPattern Pattern)[] PortPatterns =
        [.. Ports.Select(p => (p.Kind, new FieldPattern(p.Path)))];

    /// <summary>Adds findings for one object.</summary>
    public static void Check(ManifestDocument document, List<Finding> findings)
    {
        var matches = new List<FieldMatch>();
        foreach (var (kind, parent, field) in RequiredPatterns)
        {
            foreach (var match in Find(kind, parent, document, matches))
            {
                // metadata.generateName stands in for metadata.name: the API server completes the name.
                if (match.Node is YamlMap map && !map.ContainsKey(field) && !(field == "name" && map.ContainsKey("generateName")))
                {
                    findings.Add(Missing(document, match.Node.Line, parent.Render(match, field), field));
                }
            }
        }

        foreach (var (kind, pattern, allowed) in EnumPatterns)
        {
            foreach (var match in Find(kind, pattern, document, matches))
            {
                if (match.Node is YamlValue { Value: var value } && !allowed.Contains(value, StringComparer.Ordinal))
                {
                    findings.Add(NotAllowed(document, match.Node.Line, pattern.Render(match), value, allowed));
                }
            }
        }

        foreach (var (kind, pattern) in PortPatterns)
        {
            foreach (var match in Find(kind, pattern, document, matches))
            {
                if (match.Node is YamlValue { Value: var value } && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is < 1 or > 65535)
                {
                    findings.Add(Finding(document, ValueId, match.Node.Line, pattern.Render(match), $"port {port} is out of range", "Ports are 1–65535."));
                }
            }
        }

        CheckNames(document, findings);
    }

    private static void CheckNames(ManifestDocument document, List<Finding> findings)
    {
        var name = document.Name;
        // RBAC objects take path-segment names (system:aggregate-to-admin); ApiServerRules checks those.
        if (name.Length > 0 && document.Kind is not ("" or "List" or "Role" or "ClusterRole" or "RoleBinding" or "ClusterRoleBinding") && Scalars.Check(ScalarType.Hostname, name) is not null)
        {
            findings.Add(Finding(document, NameId, document.Node.At("metadata.name")?.Line ?? document.Line, "metadata.name", $"name '{name}' is not a DNS-1123 subdomain",
                "Use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters."));
        }

        foreach (var labelsPath in LabelPaths)
        {
            if (document.Node.At(labelsPath) is not YamlMap labels)
            {
                continue;
            }

            foreach (var entry in labels.Entries)
            {
                var (key, value) = entry;
                if (Scalars.Check(ScalarType.LabelKey, key) is { } keyRule)
                {
                    findings.Add(Finding(document, NameId, entry.KeyLine, Join(labelsPath, key), $"label key '{key}' is not valid", $"Use {keyRule}."));
                }

                if (value is YamlValue v && Scalars.Check(ScalarType.LabelValue, v.Value) is { } valueRule)
                {
                    findings.Add(Finding(document, NameId, value.Line, Join(labelsPath, key), $"label value '{v.Value}' is not valid", $"Use {valueRule}."));
                }
            }
        }
    }

    private static readonly string[] LabelPaths = ["metadata.labels", "spec.template.metadata.labels", "spec.selector.matchLabels"];

    /// <summary>The nodes a pattern finds in an object of a kind it applies to, in a list reused across rules.</summary>
    private static List<FieldMatch> Find(string kind, FieldPattern pattern, ManifestDocument document, List<FieldMatch> matches)
    {
        matches.Clear();
        if (Applies(kind, document))
        {
            pattern.Match(document.Node, matches);
        }

        return matches;
    }

    private static bool Applies(string kind, ManifestDocument document) =>
        kind == "*" ? document.Kind.Length > 0 : kind == document.Kind;

    private static string Parent(string path) => path.Contains('.', StringComparison.Ordinal) ? path[..path.LastIndexOf('.')] : "";

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    /// <summary>The finding for a required field that is missing, shared with the custom resource schemas.</summary>
    internal static Finding Missing(ManifestDocument document, int line, string path, string field) =>
        Finding(document, RequiredId, line, path, $"required field '{field}' is missing", "Add it; the API server rejects the object without it.");

    /// <summary>The finding for a value outside its closed set, with the closest allowed value.</summary>
    internal static Finding NotAllowed(ManifestDocument document, int line, string path, string value, IReadOnlyList<string> allowed)
    {
        var hint = Suggestions.Closest(value, allowed) is { } s ? $"Did you mean '{s}'? " : "";
        return Finding(document, ValueId, line, path, $"'{value}' is not allowed", $"{hint}Allowed: {string.Join(", ", allowed)}.");
    }

    /// <summary>A schema error about one object.</summary>
    internal static Finding Finding(ManifestDocument document, string id, int line, string path, string message, string hint) =>
        new(id, Severity.Error, document.Ref, document.File, line, path, message, hint);
}
