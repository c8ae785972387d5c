namespace Keelson.Sandbox.Scheduling.Plugins;

/// <summary>
/// Preferred node affinity: a node scores the weights of the preferred terms it matches, scaled so the best
/// feasible node scores 100.
/// </summary>
public sealed class NodeAffinityScore : IScorePlugin
{
    /// <inheritdoc/>
    public string Name => "NodeAffinity";

    /// <inheritdoc/>
    public int Weight => 2;

    /// <inheritdoc/>
    public bool AppliesTo(PodInfo pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.PreferredNodeAffinity.Length > 0;
    }

    /// <inheritdoc/>
    public void Score(SchedulingCycle cycle, ReadOnlySpan<NodeInfo> nodes, Span<long> scores)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        long max = 0;
        for (var i = 0; i < nodes.Length; i++)
        {
            long sum = 0;
            foreach (var (weight, term) in cycle.Pod.PreferredNodeAffinity)
            {
                if (term.Matches(nodes[i]))
                {
                    sum += weight;
                }
            }

            scores[i] = sum;
            max = Math.Max(max, sum);
        }

        for (var i = 0; i < scores.Length && max > 0; i++)
        {
            scores[i] = scores[i] * 100 / max;
        }
    }
}
