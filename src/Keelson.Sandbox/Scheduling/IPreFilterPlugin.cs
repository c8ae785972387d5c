namespace Keelson.Sandbox.Scheduling;

/// <summary>PreFilter extension point: per-pod work done once before a filter runs on each node.</summary>
public interface IPreFilterPlugin
{
    /// <summary>
    /// Computes what the filter reads per node and keeps it with <see cref="SchedulingCycle.Write"/>. Returns false
    /// when, for this pod and snapshot, the filter has nothing to check (kube-scheduler's Skip), sparing the node loop.
    /// </summary>
    bool PreFilter(SchedulingCycle cycle);
}
