namespace Keelson.Sandbox.Scheduling.Plugins;

/// <summary>A pod with spec.nodeSelector fits only nodes carrying every one of those labels.</summary>
public sealed class NodeSelectorFilter : IFilterPlugin
{
    /// <inheritdoc/>
    public string Name => "NodeAffinity";

    /// <inheritdoc/>
    public bool AppliesTo(PodInfo pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.NodeSelector.Count > 0;
    }

    /// <inheritdoc/>
    public bool Filter(SchedulingCycle cycle, NodeInfo node, ICollection<string>? reasons)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        ArgumentNullException.ThrowIfNull(node);
        foreach (var (key, value) in cycle.Pod.NodeSelectorArray)
        {
            if (!node.Labels.TryGetValue(key, out var actual) || actual != value)
            {
                reasons?.Add(NodeAffinityFilter.Reason);
                return false;
            }
        }

        return true;
    }
}
