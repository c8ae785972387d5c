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

    /// <summary>Adds findings for one object.</summary>
    public static void Check(ManifestDocument document, List<Finding> findings)
    {
        foreach (var (kind, path) in Required.Where(r => Applies(r.Kind, document)))
        {
            foreach (var (parent, parentPath) in Select(document.Node, Parent(path), ""))
            {
                var field = path[(path.LastIndexOf('.') + 1)..];
                if (parent is YamlMap map && !map.ContainsKey(field))
                {
                    findings.Add(Finding(document, RequiredId, parent, Join(parentPath, field), $"required field '{field}' is missing", "Add it; the API server rejects the object without it."));
                }
            }
        }

        foreach (var (kind, path, allowed) in Enums.Where(e => Applies(e.Kind, document)))
        {
            foreach (var (node, at) in Select(document.Node, path, ""))
            {
                if (node is YamlValue { Value: var value } && !allowed.Contains(value, StringComparer.Ordinal))
                {
                    var hint = Suggestions.Closest(value, allowed) is { } s ? $"Did you mean '{s}'? " : "";
                    findings.Add(Finding(document, ValueId, node, at, $"'{value}' is not allowed", $"{hint}Allowed: {string.Join(", ", allowed)}."));
                }
            }
        }

        foreach (var (kind, path) in Ports.Where(p => Applies(p.Kind, document)))
        {
            foreach (var (node, at) in Select(document.Node, path, ""))
            {
                if (node is YamlValue { Value: var value } && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is < 1 or > 65535)
                {
                    findings.Add(Finding(document, ValueId, node, at, $"port {port} is out of range", "Ports are 1–65535."));
                }
            }
        }

        CheckNames(document, findings);
    }

    private static void CheckNames(ManifestDocument document, List<Finding> findings)
    {
        var name = document.Name;
        if (name.Length > 0 && document.Kind is not ("" or "List") && Scalars.Check(ScalarType.Hostname, name) is not null)
        {
            findings.Add(Finding(document, NameId, Checks.CheckContext.Get(document.Node, "metadata.name"), "metadata.name", $"name '{name}' is not a DNS-1123 subdomain",
                "Use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters."));
        }

        foreach (var labelsPath in new[] { "metadata.labels", "spec.template.metadata.labels", "spec.selector.matchLabels" })
        {
            if (Checks.CheckContext.Get(document.Node, labelsPath) is not YamlMap labels)
            {
                continue;
            }

            foreach (var (key, value) in labels.Entries)
            {
                var k = key.Value;
                var v = (value as YamlValue)?.Value ?? "";
                if (Scalars.Check(ScalarType.LabelKey, k) is { } keyRule)
                {
                    findings.Add(Finding(document, NameId, key, Join(labelsPath, k), $"label key '{k}' is not valid", $"Use {keyRule}."));
                }

                if (value is YamlValue && Scalars.Check(ScalarType.LabelValue, v) is { } valueRule)
                {
                    findings.Add(Finding(document, NameId, value, Join(labelsPath, k), $"label value '{v}' is not valid", $"Use {valueRule}."));
                }
            }
        }
    }

    private static bool Applies(string kind, ManifestDocument document) =>
        kind == "*" ? document.Kind.Length > 0 : kind == document.Kind;

    private static string Parent(string path) => path.Contains('.', StringComparison.Ordinal) ? path[..path.LastIndexOf('.')] : "";

    /// <summary>Every node at a path with <c>[]</c> wildcards, with its concrete path.</summary>
    private static IEnumerable<(YamlElement Node, string Path)> Select(YamlElement node, string pattern, string at)
    {
        if (pattern.Length == 0)
        {
            yield return (node, at);
            yield break;
        }

        var dot = pattern.IndexOf('.', StringComparison.Ordinal);
        var step = dot < 0 ? pattern : pattern[..dot];
        var rest = dot < 0 ? "" : pattern[(dot + 1)..];
        var list = step.EndsWith("[]", StringComparison.Ordinal);
        var key = list ? step[..^2] : step;
        if (node is not YamlMap map || map.Get(key) is not { } child)
        {
            yield break;
        }

        if (!list)
        {
            foreach (var found in Select(child, rest, Join(at, key)))
            {
                yield return found;
            }

            yield break;
        }

        if (child is YamlSeq sequence)
        {
            for (var i = 0; i < sequence.Count; i++)
            {
                foreach (var found in Select(sequence[i], rest, string.Create(CultureInfo.InvariantCulture, $"{Join(at, key)}[{i}]")))
                {
                    yield return found;
                }
            }
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static Finding Finding(ManifestDocument document, string id, YamlElement? node, string path, string message, string hint) =>
        new(id, Severity.Error, document.Ref, document.File, node?.Line ?? document.Line, path, message, hint);
}
