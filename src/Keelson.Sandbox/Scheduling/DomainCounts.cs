namespace Keelson.Sandbox.Scheduling;

/// <summary>Per-domain sums of a counter over the snapshot's nodes, in arrays lent by the cycle.</summary>
internal static class DomainCounts
{
    /// <summary>
    /// For each domain of <paramref name="slot"/>, the pods that counter <paramref name="counterId"/> counts on its nodes;
    /// every domain with a node starts at 0, domains without one stay at -1.
    /// </summary>
    public static int[] Sum(SchedulingCycle cycle, int slot, int counterId)
    {
        var sums = cycle.RentInts(cycle.Snapshot.Topology.DomainCount(slot), -1);
        foreach (var node in cycle.Snapshot.NodeSpan)
        {
            var domain = node.Domain(slot);
            if (domain >= 0)
            {
                sums[domain] = Math.Max(sums[domain], 0) + node.Count(counterId);
            }
        }

        return sums;
    }

    /// <summary>A node's count in its domain: 0 for a domain with no counted node, -1 when the node lacks the key.</summary>
    public static int At(int[] sums, NodeInfo node, int slot)
    {
        var domain = node.Domain(slot);
        return domain < 0 ? -1 : Math.Max(sums[domain], 0);
    }
}
