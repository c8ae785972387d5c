using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>
/// All objects under validation, indexed for cross-object checks. Objects without a namespace share one. A kind is
/// looked up in its own API groups (<see cref="KindGroups"/>): a custom resource that reuses a built-in kind's name
/// (Knative's serving.knative.dev Service) is not taken for the built-in one.
/// </summary>
public sealed class ManifestSet(IReadOnlyList<ManifestDocument> documents)
{
    private readonly ILookup<(string Kind, string Namespace), ManifestDocument> byKind =
        documents.Where(KindGroups.IsBuiltInOrCustom).ToLookup(d => (d.Kind, d.Namespace ?? ""));

    // Cross-object checks look objects up by name for every reference; a scan per lookup grew with the set.
    private readonly Dictionary<(string Kind, string Namespace, string Name), ManifestDocument> byName = Index(documents);

    private readonly Dictionary<ManifestDocument, CheckContext> contexts = new(ReferenceEqualityComparer.Instance);

    /// <summary>Every object.</summary>
    public IReadOnlyList<ManifestDocument> Documents { get; } = documents;

    /// <summary>Objects of a kind in every namespace, in its own API groups.</summary>
    public IEnumerable<ManifestDocument> AllOfKind(string kind) => Documents.Where(d => d.Kind == kind && KindGroups.IsBuiltInOrCustom(d));

    /// <summary>Objects of a kind in a namespace.</summary>
    public IEnumerable<ManifestDocument> OfKind(string kind, string? ns) => byKind[(kind, ns ?? "")];

    /// <summary>The object of a kind and name in a namespace, or null.</summary>
    public ManifestDocument? Find(string kind, string? ns, string name) => byName.GetValueOrDefault((kind, ns ?? "", name));

    /// <summary>The check context of one of the objects, made once per set so its pod spec and containers are read once.</summary>
    public CheckContext ContextOf(ManifestDocument document)
    {
        if (!contexts.TryGetValue(document, out var context))
        {
            context = new CheckContext(document);
            contexts[document] = context;
        }

        return context;
    }

    private static Dictionary<(string Kind, string Namespace, string Name), ManifestDocument> Index(IReadOnlyList<ManifestDocument> documents)
    {
        var index = new Dictionary<(string, string, string), ManifestDocument>();
        foreach (var d in documents.Where(KindGroups.IsBuiltInOrCustom))
        {
            // The first object of a name wins, as the scan it replaces found it first.
            index.TryAdd((d.Kind, d.Namespace ?? "", d.Name), d);
        }

        return index;
    }

    private Dictionary<string, List<(ManifestDocument, IReadOnlyDictionary<string, string>)>>? podLabels;

    /// <summary>Pod-template labels of every workload in a namespace, with the workload; computed once per set.</summary>
    public IEnumerable<(ManifestDocument Workload, IReadOnlyDictionary<string, string> Labels)> PodLabels(string? ns)
    {
        podLabels ??= Documents.GroupBy(d => d.Namespace ?? "").ToDictionary(g => g.Key, g => ComputePodLabels(g).ToList(), StringComparer.Ordinal);
        return podLabels.TryGetValue(ns ?? "", out var labels) ? labels : [];
    }

    private static IEnumerable<(ManifestDocument Workload, IReadOnlyDictionary<string, string> Labels)> ComputePodLabels(IEnumerable<ManifestDocument> documents)
    {
        foreach (var document in documents.Where(KindGroups.IsBuiltInOrCustom))
        {
            // Spark operator applications label their driver and executor pods from the spec.
            string[] paths = document.Kind switch
            {
                "Pod" => ["metadata.labels"],
                "CronJob" => ["spec.jobTemplate.spec.template.metadata.labels"],
                "Deployment" or "StatefulSet" or "DaemonSet" or "ReplicaSet" or "Job" => ["spec.template.metadata.labels"],
                "SparkApplication" => ["spec.driver.labels", "spec.executor.labels"],
                "ScheduledSparkApplication" => ["spec.template.driver.labels", "spec.template.executor.labels"],
                _ => [],
            };
            foreach (var path in paths)
            {
                if (CheckContext.Get(document.Node, path) is YamlMap labels)
                {
                    yield return (document, Map(labels));
                }
            }
        }
    }

    /// <summary>A mapping of scalars as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Map(YamlMap? node) =>
        node is null
            ? new Dictionary<string, string>()
            : node.Entries.Where(c => c.Value is YamlValue)
                .ToDictionary(c => c.Key, c => ((YamlValue)c.Value).Value, StringComparer.Ordinal);

    private Dictionary<(string Namespace, string Key, string Value), List<(ManifestDocument Workload, IReadOnlyDictionary<string, string> Labels)>>? byLabel;

    /// <summary>The workloads in a namespace whose pod template the selector matches (<see cref="LabelSelector"/>).</summary>
    /// <remarks>
    /// A selector with a <c>key=value</c> requirement only looks at the pod templates with that label (an index made
    /// once per set, in <see cref="PodLabels"/> order): every Service of a large set scanning every workload of its
    /// namespace grew with the square of the set.
    /// </remarks>
    public IEnumerable<ManifestDocument> Selected(LabelSelector selector, string? ns)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var candidates = selector.Requirements.FirstOrDefault(r => r is { Operator: "In", Values.Count: 1 }) is { } pinned
            ? LabelIndex().GetValueOrDefault((ns ?? "", pinned.Key, pinned.Values[0])) ?? []
            : PodLabels(ns);
        return candidates.Where(p => selector.Matches(p.Labels)).Select(p => p.Workload).Distinct();
    }

    private Dictionary<(string Namespace, string Key, string Value), List<(ManifestDocument Workload, IReadOnlyDictionary<string, string> Labels)>> LabelIndex()
    {
        if (byLabel is null)
        {
            var index = new Dictionary<(string, string, string), List<(ManifestDocument, IReadOnlyDictionary<string, string>)>>();
            foreach (var ns in Documents.Select(d => d.Namespace ?? "").Distinct())
            {
                foreach (var pod in PodLabels(ns))
                {
                    foreach (var (key, value) in pod.Labels)
                    {
                        if (!index.TryGetValue((ns, key, value), out var list))
                        {
                            list = [];
                            index[(ns, key, value)] = list;
                        }

                        list.Add(pod);
                    }
                }
            }

            byLabel = index;
        }

        return byLabel;
    }
}
