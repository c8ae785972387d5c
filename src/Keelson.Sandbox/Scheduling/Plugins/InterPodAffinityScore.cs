namespace Keelson.Sandbox.Scheduling.Plugins;

/// <summary>
/// Preferred inter-pod affinity and anti-affinity of the incoming pod: each matching pod in a node's domain adds
/// the term's weight (anti-affinity subtracts it), then scores are scaled so the worst node gets 0 and the best 100.
/// Preferred terms of pods already bound are not weighed back, a simplification of kube-scheduler.
/// </summary>
public sealed class InterPodAffinityScore : IScorePlugin
{
    /// <inheritdoc/>
    public string Name => "InterPodAffinity";

    /// <inheritdoc/>
    public int Weight => 2;

    /// <inheritdoc/>
    public bool AppliesTo(PodInfo pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.PreferredPodTerms.Length > 0;
    }

    /// <inheritdoc/>
    public void Score(SchedulingCycle cycle, ReadOnlySpan<NodeInfo> nodes, Span<long> scores)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        var terms = cycle.Pod.PreferredPodTerms;
        var sums = new int[terms.Length][];
        for (var t = 0; t < terms.Length; t++)
        {
            sums[t] = DomainCounts.Sum(cycle, terms[t].KeySlot, terms[t].Counter);
        }

        long min = long.MaxValue, max = long.MinValue;
        for (var n = 0; n < nodes.Length; n++)
        {
            long score = 0;
            for (var t = 0; t < terms.Length; t++)
            {
                score += terms[t].Weight * (long)Math.Max(DomainCounts.At(sums[t], nodes[n], terms[t].KeySlot), 0);
            }

            scores[n] = score;
            min = Math.Min(min, score);
            max = Math.Max(max, score);
        }

        for (var n = 0; n < nodes.Length; n++)
        {
            scores[n] = max > min ? (scores[n] - min) * 100 / (max - min) : 0;
        }
    }
}
