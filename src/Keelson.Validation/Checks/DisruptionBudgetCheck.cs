using System.Globalization;
using Keelson.Spec.Units;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>A disruption budget must select pods, and must leave room for at least one eviction or drains hang.</summary>
public sealed class DisruptionBudgetCheck : ISetCheck
{
    /// <inheritdoc/>
    public string Id => "pdb-blocks-eviction";

    /// <inheritdoc/>
    public Severity Severity => Severity.Error;

    /// <inheritdoc/>
    public string Description => "PodDisruptionBudgets select a workload and allow at least one eviction.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        foreach (var pdb in manifests.AllOfKind("PodDisruptionBudget"))
        {
            // policy/v1: an empty selector selects every pod of the namespace; a missing one selects none.
            var selector = LabelSelector.Parse(CheckContext.Get(pdb.Node, "spec.selector"));
            var workloads = selector is null ? [] : manifests.Selected(selector, pdb.Namespace).ToList();
            if (workloads.Count == 0)
            {
                yield return SetFinding.Unmatched(this, manifests, pdb, CheckContext.Get(pdb.Node, "spec.selector"), "spec.selector", "the budget selects no workload in these manifests", "Match the workload's pod labels, or apply the budget with its workload.");
                continue;
            }

            // A DaemonSet's pod count is the node count, unknown here: only absolute blocks are judged for it.
            var replicas = workloads.Any(w => w.Kind == "DaemonSet") ? long.MaxValue : Saturating.Sum(workloads.Select(w => int.TryParse(CheckContext.Value(w.Node, "spec.replicas") ?? "1", out var r) ? (long)r : 1));
            var minAvailable = CheckContext.Value(pdb.Node, "spec.minAvailable");
            var maxUnavailable = CheckContext.Value(pdb.Node, "spec.maxUnavailable");
            var blocks = (minAvailable is not null && (minAvailable == "100%" || (int.TryParse(minAvailable, out var m) && m >= replicas)))
                || maxUnavailable is "0" or "0%";
            if (blocks)
            {
                yield return SetFinding.At(this, pdb, CheckContext.Get(pdb.Node, "spec"), "spec",
                    replicas == long.MaxValue
                        ? "the budget allows no eviction: node drains will hang"
                        : string.Create(CultureInfo.InvariantCulture, $"the budget allows no eviction of its {replicas} replica(s): node drains will hang"),
                    "Use maxUnavailable: 1, or a minAvailable below the replica count.");
            }
        }
    }
}
