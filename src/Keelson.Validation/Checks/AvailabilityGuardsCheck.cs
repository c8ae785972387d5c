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
    public string Description => "Replicated workloads have a PodDisruptionBudget and spread; namespaces have a NetworkPolicy.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        foreach (var workload in manifests.Documents.Where(d => d.Kind is "Deployment" or "StatefulSet"))
        {
            var replicas = int.TryParse(CheckContext.Value(workload.Node, "spec.replicas") ?? "1", out var r) ? r : 1;
            if (replicas < 2)
            {
                continue;
            }

            var labels = ManifestSet.Map(CheckContext.Get(workload.Node, "spec.template.metadata.labels") as YamlMap);
            if (!manifests.OfKind("PodDisruptionBudget", workload.Namespace).Any(p => ManifestSet.Matches(ManifestSet.Map(CheckContext.Get(p.Node, "spec.selector.matchLabels") as YamlMap), labels)))
            {
                yield return SetFinding.At(this, workload, CheckContext.Get(workload.Node, "spec.replicas"), "spec.replicas", $"{replicas} replicas but no PodDisruptionBudget", "Add a PodDisruptionBudget with maxUnavailable: 1.");
            }

            var pod = CheckContext.Get(workload.Node, "spec.template.spec");
            if (CheckContext.Get(pod, "topologySpreadConstraints") is null && CheckContext.Get(pod, "affinity.podAntiAffinity") is null)
            {
                yield return SetFinding.At(this, workload, pod, "spec.template.spec", $"{replicas} replicas with no topology spread or anti-affinity: they may share one node",
                    "Add a topologySpreadConstraint on kubernetes.io/hostname.");
            }
        }

        foreach (var ns in manifests.Documents.Where(d => d.Kind is "Deployment" or "StatefulSet" or "DaemonSet").GroupBy(d => d.Namespace ?? ""))
        {
            if (!manifests.OfKind("NetworkPolicy", ns.Key.Length == 0 ? null : ns.Key).Any())
            {
                var first = ns.First();
                yield return SetFinding.At(this, first, null, "", $"namespace '{(ns.Key.Length == 0 ? "(unset)" : ns.Key)}' has workloads but no NetworkPolicy",
                    "Add a default-deny NetworkPolicy and allow only the traffic the workloads need.");
            }
        }
    }
}
