using Keelson.Sandbox.Scheduling.Plugins;

namespace Keelson.Sandbox.Scheduling;

/// <summary>
/// Matching pods per topology domain for a pod's spread constraints, counted as Kubernetes does: only on nodes
/// carrying every constraint's key, honouring node affinity unless nodeAffinityPolicy is Ignore and taints only
/// when nodeTaintsPolicy is Honor. Domains no counted node falls in stay at -1.
/// </summary>
internal static class SpreadDomains
{
    public static int[][] Count(SchedulingCycle cycle, SpreadConstraint[] constraints)
    {
        if (EveryNodeCounts(cycle, constraints))
        {
            // The common case: the snapshot already keeps these counts per domain.
            return [.. constraints.Select(c => DomainCounts.Sum(cycle, c.KeySlot, c.Counter))];
        }

        var counts = new int[constraints.Length][];
        for (var i = 0; i < constraints.Length; i++)
        {
            counts[i] = cycle.RentInts(cycle.Snapshot.Topology.DomainCount(constraints[i].KeySlot), -1);
        }

        foreach (var node in cycle.Snapshot.NodeSpan)
        {
            if (LacksAKey(constraints, node))
            {
                continue;
            }

            // The affinity verdict is the costly part; work it out at most once per node.
            var affinity = -1;
            for (var i = 0; i < constraints.Length; i++)
            {
                var constraint = constraints[i];
                if (constraint.HonorNodeAffinity)
                {
                    if (affinity < 0)
                    {
                        affinity = cycle.Pod.MatchesNodeSelectorAndAffinity(node) ? 1 : 0;
                    }

                    if (affinity == 0)
                    {
                        continue;
                    }
                }

                if (constraint.HonorTaints && !TaintTolerationFilter.ToleratesAll(cycle.Pod, node))
                {
                    continue;
                }

                var domain = node.Domain(constraint.KeySlot);
                counts[i][domain] = Math.Max(counts[i][domain], 0) + node.Count(constraint.Counter.Id);
            }
        }

        return counts;
    }

    /// <summary>Whether no node is left out: all carry every key and no policy narrows the nodes for this pod.</summary>
    private static bool EveryNodeCounts(SchedulingCycle cycle, SpreadConstraint[] constraints)
    {
        var pod = cycle.Pod;
        var narrowed = pod.NodeSelectorArray.Length > 0 || pod.RequiredNodeAffinity is not null;
        foreach (var constraint in constraints)
        {
            if (constraint.HonorTaints || (constraint.HonorNodeAffinity && narrowed) || cycle.Snapshot.Topology.NodesMissing(constraint.KeySlot) > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the node lacks the topology key of some constraint.</summary>
    public static bool LacksAKey(SpreadConstraint[] constraints, NodeInfo node)
    {
        foreach (var constraint in constraints)
        {
            if (node.Domain(constraint.KeySlot) < 0)
            {
                return true;
            }
        }

        return false;
    }
}
