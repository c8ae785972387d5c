namespace Keelson.Sandbox.Scheduling;

/// <summary>Per-domain sums of a counter over the snapshot's nodes, in arrays lent by the cycle.</summary>
internal static class DomainCounts
{
    /// <summary>
    /// For each domain of <paramref name="slot"/>, the pods the counter counts on its nodes, copied into an array lent
    /// by the cycle: domains with nodes hold their count, domains whose nodes are all gone hold -1.
    /// </summary>
    public static int[] Sum(SchedulingCycle cycle, int slot, NodeCounter counter)
    {
        var topology = cycle.Snapshot.Topology;
        var live = counter.ByDomain(slot, cycle.Snapshot.NodeSpan);
        var domains = topology.DomainCount(slot);
        var sums = cycle.RentInts(domains, -1);
        for (var d = 0; d < domains; d++)
        {
            if (topology.NodesIn(slot, d) > 0)
            {
                sums[d] = d < live.Length ? live[d] : 0;
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
