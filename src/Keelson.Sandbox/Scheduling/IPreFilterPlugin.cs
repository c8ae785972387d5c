namespace Keelson.Sandbox.Scheduling;

/// <summary>PreFilter extension point: per-pod work done once before a filter runs on each node.</summary>
public interface IPreFilterPlugin
{
    /// <summary>Computes what the filter reads per node and keeps it with <see cref="SchedulingCycle.Write"/>.</summary>
    void PreFilter(SchedulingCycle cycle);
}
