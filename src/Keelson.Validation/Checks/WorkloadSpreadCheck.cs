using System.Globalization;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>
/// Replicas that may all land on one node fall together. A Deployment or StatefulSet that runs more than one replica
/// (its replicas, or the most an autoscaler in the files gives it) needs a topology spread constraint or pod
/// anti-affinity whose selector selects its own pods.
/// </summary>
public sealed class WorkloadSpreadCheck : ISetCheck
{
    /// <inheritdoc/>
    public string Id => "workload-spread";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Multi-replica workloads spread their own pods across nodes (topology spread or pod anti-affinity).";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        foreach (var workload in manifests.Documents.Where(d => d.Kind is "Deployment" or "StatefulSet" && KindGroups.IsBuiltInOrCustom(d)))
        {
            var replicas = Math.Max(Integer(workload, "spec.replicas") ?? 1, MostFromAutoscalers(manifests, workload));
            if (replicas < 2)
            {
                continue;
            }

            var labels = ManifestSet.Map(CheckContext.Get(workload.Node, "spec.template.metadata.labels") as YamlMap);
            var pod = CheckContext.Get(workload.Node, "spec.template.spec");
            if (!Spreads(pod, labels))
            {
                yield return SetFinding.At(this, workload, pod, "spec.template.spec",
                    string.Create(CultureInfo.InvariantCulture, $"up to {replicas} replicas with no topology spread or anti-affinity that selects its own pods: they may share one node"),
                    "Add a topologySpreadConstraint on kubernetes.io/hostname whose labelSelector matches the pod template's labels.");
            }
        }
    }

    private static int MostFromAutoscalers(ManifestSet manifests, ManifestDocument workload) =>
        manifests.OfKind("HorizontalPodAutoscaler", workload.Namespace)
            .Where(h => CheckContext.Value(h.Node, "spec.scaleTargetRef.kind") == workload.Kind && CheckContext.Value(h.Node, "spec.scaleTargetRef.name") == workload.Name)
            .Select(h => Integer(h, "spec.maxReplicas") ?? 1)
            .DefaultIfEmpty(1)
            .Max();

    private static int? Integer(ManifestDocument document, string path) =>
        int.TryParse(CheckContext.Value(document.Node, path), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>
    /// Whether a pod template spreads its own replicas: a topology spread constraint, or a pod anti-affinity term
    /// (required or preferred), whose label selector selects the template's own labels. A term that selects other
    /// pods spreads nothing of this workload.
    /// </summary>
    private static bool Spreads(YamlElement? pod, IReadOnlyDictionary<string, string> labels)
    {
        var selectors = new List<YamlElement?>();
        if (CheckContext.Get(pod, "topologySpreadConstraints") is YamlSeq constraints)
        {
            selectors.AddRange(constraints.Select(c => CheckContext.Get(c, "labelSelector")));
        }

        if (CheckContext.Get(pod, "affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution") is YamlSeq required)
        {
            selectors.AddRange(required.Select(t => CheckContext.Get(t, "labelSelector")));
        }

        if (CheckContext.Get(pod, "affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution") is YamlSeq preferred)
        {
            selectors.AddRange(preferred.Select(t => CheckContext.Get(t, "podAffinityTerm.labelSelector")));
        }

        // A term without a labelSelector matches no pod: the API treats a null selector as selecting nothing.
        return selectors.Any(s => LabelSelector.Parse(s)?.Matches(labels) == true);
    }
}
