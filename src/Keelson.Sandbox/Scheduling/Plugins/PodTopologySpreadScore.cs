namespace Keelson.Sandbox.Scheduling.Plugins;

/// <summary>
/// Topology spread constraints with whenUnsatisfiable ScheduleAnyway: fewer matching pods in a node's domains
/// score higher. As kube-scheduler does, each constraint's count (plus maxSkew − 1) is weighted by the log of its
/// number of domains among feasible nodes, and the sums are reversed onto 0–100; nodes missing a key score 0.
/// </summary>
public sealed class PodTopologySpreadScore : IScorePlugin
{
    /// <inheritdoc/>
    public string Name => "PodTopologySpread";

    /// <inheritdoc/>
    public int Weight => 2;

    /// <inheritdoc/>
    public bool AppliesTo(PodInfo pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.SoftSpread.Length > 0;
    }

    /// <inheritdoc/>
    public void Score(SchedulingCycle cycle, ReadOnlySpan<NodeInfo> nodes, Span<long> scores)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        var constraints = cycle.Pod.SoftSpread;
        var counts = SpreadDomains.Count(cycle, constraints);
        var weights = new double[constraints.Length];
        for (var i = 0; i < constraints.Length; i++)
        {
            var seen = cycle.RentInts(cycle.Snapshot.Topology.DomainCount(constraints[i].KeySlot), 0);
            var domains = 0;
            foreach (var node in nodes)
            {
                var domain = node.Domain(constraints[i].KeySlot);
                if (domain >= 0 && seen[domain]++ == 0)
                {
                    domains++;
                }
            }

            weights[i] = Math.Log(domains + 2);
        }

        // Raw scores go into the output span, in thousandths, -1 marking nodes that lack a key; then reversed in place.
        long min = long.MaxValue, max = 0;
        for (var n = 0; n < nodes.Length; n++)
        {
            if (SpreadDomains.LacksAKey(constraints, nodes[n]))
            {
                scores[n] = -1;
                continue;
            }

            double sum = 0;
            for (var i = 0; i < constraints.Length; i++)
            {
                var count = Math.Max(counts[i][nodes[n].Domain(constraints[i].KeySlot)], 0);
                sum += (count + constraints[i].MaxSkew - 1) * weights[i];
            }

            scores[n] = (long)(sum * 1000);
            min = Math.Min(min, scores[n]);
            max = Math.Max(max, scores[n]);
        }

        for (var n = 0; n < nodes.Length; n++)
        {
            scores[n] = scores[n] < 0 ? 0 : max == 0 ? 100 : 100 * (max + min - scores[n]) / max;
        }
    }
}
