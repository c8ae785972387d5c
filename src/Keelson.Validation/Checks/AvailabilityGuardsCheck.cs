using System.Globalization;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>Replicated workloads without a disruption budget can lose every replica to one drain; without a NetworkPolicy a namespace is open.</summary>
public sealed class AvailabilityGuardsCheck : ISetCheck
{
    /// <inheritdoc/>
    public string Id => "availability-guards";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Replicated workloads have a PodDisruptionBudget; namespaces have a NetworkPolicy.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        foreach (var workload in manifests.Documents.Where(d => d.Kind is "Deployment" or "StatefulSet" && KindGroups.IsBuiltInOrCustom(d)))
        {
            var replicas = int.TryParse(CheckContext.Value(workload.Node, "spec.replicas") ?? "1", out var r) ? r : 1;
            if (replicas < 2)
            {
                continue;
            }

            var labels = ManifestSet.Map(CheckContext.Get(workload.Node, "spec.template.metadata.labels") as YamlMap);
            if (!manifests.OfKind("PodDisruptionBudget", workload.Namespace).Any(p => LabelSelector.Parse(CheckContext.Get(p.Node, "spec.selector"))?.Matches(labels) == true))
            {
                yield return SetFinding.At(this, workload, CheckContext.Get(workload.Node, "spec.replicas"), "spec.replicas", $"{replicas} replicas but no PodDisruptionBudget", "Add a PodDisruptionBudget with maxUnavailable: 1.");
            }
        }

        foreach (var ns in manifests.Documents.Where(d => d.Kind is "Deployment" or "StatefulSet" or "DaemonSet" && KindGroups.IsBuiltInOrCustom(d)).GroupBy(d => d.Namespace ?? ""))
        {
            if (!manifests.OfKind("NetworkPolicy", ns.Key.Length == 0 ? null : ns.Key).Any())
            {
                var first = ns.First();
                var where = ns.Key.Length == 0 ? "objects without metadata.namespace (they land in the namespace they are applied to) include workloads but no NetworkPolicy" : $"namespace '{ns.Key}' has workloads but no NetworkPolicy";
                yield return SetFinding.At(this, first, null, "", where,
                    "Add a default-deny NetworkPolicy and allow only the traffic the workloads need.");
            }
        }
    }
}
