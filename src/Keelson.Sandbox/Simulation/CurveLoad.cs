using Keelson.Sandbox.Engine;
using Keelson.Spec.Load;

namespace Keelson.Sandbox.Simulation;

/// <summary>Demand following a load curve: each autoscaled workload's sized-peak CPU times its component's share at that time of day.</summary>
public sealed class CurveLoad(IReadOnlyDictionary<string, double> peak, IReadOnlyDictionary<string, string> components, LoadSpec load, DateTimeOffset midnight) : ILoadModel
{
    /// <inheritdoc/>
    public double? CpuDemandMillis(string ns, string workload, DateTimeOffset at)
    {
        var key = $"{ns}/{workload}";
        if (!peak.TryGetValue(key, out var millis))
        {
            return null;
        }

        var component = components.TryGetValue(key, out var c) ? c : workload;
        var sinceMidnight = at - midnight;
        var timeOfDay = TimeSpan.FromTicks(((sinceMidnight.Ticks % TimeSpan.TicksPerDay) + TimeSpan.TicksPerDay) % TimeSpan.TicksPerDay);
        return millis * load.Share(component, timeOfDay);
    }
}
