namespace Keelson.Sandbox.Scheduling;

/// <summary>Filter extension point: may the pod run on this node?</summary>
public interface IFilterPlugin
{
    /// <summary>The plugin's name, as kube-scheduler names its counterpart.</summary>
    string Name { get; }

    /// <summary>False when the pod gives this plugin nothing to check (kube-scheduler's PreFilter Skip).</summary>
    bool AppliesTo(PodInfo pod);

    /// <summary>
    /// Whether the pod may run on the node. When it may not and <paramref name="reasons"/> is given, adds the reasons
    /// in kube-scheduler's words ("Insufficient cpu"); the scheduler asks for reasons only once a pod fits nowhere.
    /// </summary>
    bool Filter(SchedulingCycle cycle, NodeInfo node, ICollection<string>? reasons);
}
