namespace Keelson.Sandbox.Scheduling.Plugins;

/// <summary>
/// Required node affinity: some nodeSelectorTerm (ORed) has all its expressions (ANDed) true of the node, with the
/// operators In, NotIn, Exists, DoesNotExist, Gt and Lt.
/// </summary>
public sealed class NodeAffinityFilter : IFilterPlugin
{
    /// <summary>kube-scheduler's reason for both the node selector and required node affinity.</summary>
    internal const string Reason = "node(s) didn't match Pod's node affinity/selector";

    /// <inheritdoc/>
    public string Name => "NodeAffinity";

    /// <inheritdoc/>
    public bool AppliesTo(PodInfo pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.RequiredNodeAffinity is not null;
    }

    /// <inheritdoc/>
    public bool Filter(SchedulingCycle cycle, NodeInfo node, ICollection<string>? reasons)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        ArgumentNullException.ThrowIfNull(node);
        if (cycle.Pod.RequiredNodeAffinity?.Matches(node) ?? true)
        {
            return true;
        }

        reasons?.Add(Reason);
        return false;
    }
}
