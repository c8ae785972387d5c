namespace Keelson.Sandbox.Scheduling.Plugins;

/// <summary>
/// Prefers nodes with the most CPU and memory left after placing the pod (kube-scheduler's NodeResourcesFit with
/// the LeastAllocated strategy, CPU and memory weighted equally), which spreads load across nodes.
/// </summary>
public sealed class LeastAllocatedScore : IScorePlugin
{
    /// <inheritdoc/>
    public string Name => "NodeResourcesFit";

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
            var cpu = Free(node.NonZeroRequestedMilliCpu + pod.NonZeroMilliCpu, node.AllocatableMilliCpu);
            var memory = Free(node.NonZeroRequestedMemoryBytes + pod.NonZeroMemoryBytes, node.AllocatableMemoryBytes);
            scores[i] = (cpu + memory) / 2;
        }
    }

    private static long Free(long requested, long capacity) =>
        capacity == 0 || requested > capacity ? 0 : (capacity - requested) * 100 / capacity;
}
