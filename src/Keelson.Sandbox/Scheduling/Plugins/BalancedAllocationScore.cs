namespace Keelson.Sandbox.Scheduling.Plugins;

/// <summary>
/// Prefers nodes whose CPU and memory would be used in equal fractions after placing the pod (kube-scheduler's
/// NodeResourcesBalancedAllocation: 100 × (1 − standard deviation of the fractions)), so neither runs out first.
/// </summary>
public sealed class BalancedAllocationScore : IScorePlugin
{
    /// <inheritdoc/>
    public string Name => "NodeResourcesBalancedAllocation";

    /// <inheritdoc/>
    public int Weight => 1;

    /// <inheritdoc/>
    public bool AppliesTo(PodInfo pod) => true;

    /// <inheritdoc/>
    public void Score(SchedulingCycle cycle, ReadOnlySpan<NodeInfo> nodes, Span<long> scores)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        var pod = cycle.Pod;
        for (var i = 0; i < nodes.Length; i++)
        {
            var node = nodes[i];
            var cpu = Fraction(node.NonZeroRequestedMilliCpu + pod.NonZeroMilliCpu, node.AllocatableMilliCpu);
            var memory = Fraction(node.NonZeroRequestedMemoryBytes + pod.NonZeroMemoryBytes, node.AllocatableMemoryBytes);

            // The standard deviation of two values is half their distance.
            scores[i] = (long)((1 - (Math.Abs(cpu - memory) / 2)) * 100);
        }
    }

    private static double Fraction(long requested, long capacity) => capacity == 0 ? 1 : Math.Min((double)requested / capacity, 1);
}
