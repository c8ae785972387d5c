namespace Keelson.Sandbox.Scheduling.Plugins;

/// <summary>
/// The pod's requests fit what the node has left: CPU, memory, every extended resource (nvidia.com/gpu, ...) and
/// a pod slot. A node that does not advertise an extended resource has none of it.
/// </summary>
public sealed class NodeResourcesFitFilter : IFilterPlugin
{
    /// <inheritdoc/>
    public string Name => "NodeResourcesFit";

    /// <inheritdoc/>
    public bool AppliesTo(PodInfo pod) => true;

    /// <inheritdoc/>
    public bool Filter(SchedulingCycle cycle, NodeInfo node, ICollection<string>? reasons)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        ArgumentNullException.ThrowIfNull(node);
        var pod = cycle.Pod;
        var fits = true;

        // Like kube-scheduler, report every resource that is short, not just the first.
        if (node.PodCount + 1 > node.AllocatablePods)
        {
            fits = Fail(reasons, "Too many pods");
        }

        if (pod.MilliCpu > 0 && pod.MilliCpu > node.AllocatableMilliCpu - node.RequestedMilliCpu && (reasons is not null || fits))
        {
            fits = Fail(reasons, "Insufficient cpu");
        }

        if (pod.MemoryBytes > 0 && pod.MemoryBytes > node.AllocatableMemoryBytes - node.RequestedMemoryBytes && (reasons is not null || fits))
        {
            fits = Fail(reasons, "Insufficient memory");
        }

        foreach (var scalar in pod.Scalars)
        {
            if (!fits && reasons is null)
            {
                break;
            }

            if (scalar.Amount > node.AllocatableScalar(scalar.Id) - node.RequestedScalar(scalar.Id))
            {
                fits = Fail(reasons, $"Insufficient {scalar.Name}");
            }
        }

        return fits;
    }

    private static bool Fail(ICollection<string>? reasons, string reason)
    {
        reasons?.Add(reason);
        return false;
    }
}
