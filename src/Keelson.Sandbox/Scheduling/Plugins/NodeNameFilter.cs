namespace Keelson.Sandbox.Scheduling.Plugins;

/// <summary>A pod that names its node (spec.nodeName) fits only that node.</summary>
public sealed class NodeNameFilter : IFilterPlugin
{
    /// <inheritdoc/>
    public string Name => "NodeName";

    /// <inheritdoc/>
    public bool AppliesTo(PodInfo pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.NodeName is not null;
    }

    /// <inheritdoc/>
    public bool Filter(SchedulingCycle cycle, NodeInfo node, ICollection<string>? reasons)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        ArgumentNullException.ThrowIfNull(node);
        if (cycle.Pod.NodeName is null || cycle.Pod.NodeName == node.Name)
        {
            return true;
        }

        reasons?.Add("node(s) didn't match the requested node name");
        return false;
    }
}
