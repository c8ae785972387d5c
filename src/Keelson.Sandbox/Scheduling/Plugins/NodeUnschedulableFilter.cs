using k8s.Models;

namespace Keelson.Sandbox.Scheduling.Plugins;

/// <summary>Keeps pods off cordoned and draining nodes (spec.unschedulable) unless they tolerate the unschedulable taint.</summary>
public sealed class NodeUnschedulableFilter : IFilterPlugin
{
    private static readonly V1Taint UnschedulableTaint = new() { Key = "node.kubernetes.io/unschedulable", Effect = "NoSchedule" };

    /// <inheritdoc/>
    public string Name => "NodeUnschedulable";

    /// <inheritdoc/>
    public bool AppliesTo(PodInfo pod) => true;

    /// <inheritdoc/>
    public bool Filter(SchedulingCycle cycle, NodeInfo node, ICollection<string>? reasons)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        ArgumentNullException.ThrowIfNull(node);
        if (!node.Unschedulable || TaintTolerationFilter.Tolerates(cycle.Pod.TolerationArray, UnschedulableTaint))
        {
            return true;
        }

        reasons?.Add("node(s) were unschedulable");
        return false;
    }
}
