using System.Collections.Immutable;
using Keelson.Operations.Thresholds;

namespace Keelson.Server.Alerts;

/// <summary>
/// The threshold metrics Keelson knows (the ECP-AI UI's <c>cpu</c>, <c>memory</c>, <c>gpu</c>, <c>response_time</c>,
/// <c>error_rate</c>), the built-in default setting and the four SLA presets.
/// </summary>
public static class ThresholdCatalog
{
    /// <summary>A threshold metric: its key, the largest level allowed, its unit, and the series an alert rule compares (with the divisor from the figure's unit to the series').</summary>
    public sealed record Metric(string Key, double Max, string Unit, ImmutableArray<(string Series, double Divisor)> Series);

    /// <summary>A named preset.</summary>
    public sealed record Preset(string Name, string Description, double SlaLevel, ImmutableSortedDictionary<string, ThresholdLevel> Thresholds, bool NotificationsEnabled, bool EmailEnabled, bool SmsEnabled, bool SlackEnabled);

    /// <summary>The id of the setting <c>GET /thresholds/default</c> creates when there is none (the original's id).</summary>
    public const string DefaultSettingId = "default-monitoring-thresholds";

    /// <summary>The metrics, by key.</summary>
    public static readonly ImmutableSortedDictionary<string, Metric> Metrics = new Metric[]
    {
        new("cpu", 100, "%", [("cpu_usage", 1), ("cpu_usage_percent", 1)]),
        new("memory", 100, "%", [("memory_usage", 1), ("memory_usage_percent", 1)]),
        new("gpu", 100, "%", [("gpu_usage", 1), ("gpu_utilization_percent", 1)]),
        new("response_time", 600_000, "ms", [("response_time", 1), ("latency_seconds", 1000)]),
        new("error_rate", 100, "%", [("error_rate", 1), ("error_ratio", 100)]),
    }.ToImmutableSortedDictionary(m => m.Key, m => m, StringComparer.Ordinal);

    /// <summary>The original's defaults: cpu 80/90, memory 85/95, gpu 80/90, response_time 500/1000 ms, error_rate 5/10 %.</summary>
    public static readonly ImmutableSortedDictionary<string, ThresholdLevel> Defaults = Levels((80, 90), (85, 95), (80, 90), (500, 1000), (5.0, 10.0));

    /// <summary>The presets, by name: each tighter than the one before, with a higher availability target.</summary>
    public static readonly ImmutableSortedDictionary<string, Preset> Presets = new Preset[]
    {
        new("basic", "Basic: 99.0% availability; alerts only on clear overload.", 99.0, Levels((85, 95), (90, 95), (85, 95), (1000, 2000), (10.0, 20.0)), true, false, false, false),
        new("standard", "Standard: 99.5% availability; the default levels.", 99.5, Defaults, true, true, false, false),
        new("premium", "Premium: 99.9% availability; earlier warnings.", 99.9, Levels((70, 85), (75, 90), (75, 85), (300, 500), (1.0, 5.0)), true, true, true, false),
        new("enterprise", "Enterprise: 99.99% availability; tight levels on every channel.", 99.99, Levels((60, 80), (70, 85), (70, 80), (200, 300), (0.5, 1.0)), true, true, true, true),
    }.ToImmutableSortedDictionary(p => p.Name, p => p, StringComparer.Ordinal);

    private static ImmutableSortedDictionary<string, ThresholdLevel> Levels((double, double) cpu, (double, double) memory, (double, double) gpu, (double, double) responseTime, (double, double) errorRate) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
        [
            KeyValuePair.Create("cpu", new ThresholdLevel(cpu.Item1, cpu.Item2)),
            KeyValuePair.Create("memory", new ThresholdLevel(memory.Item1, memory.Item2)),
            KeyValuePair.Create("gpu", new ThresholdLevel(gpu.Item1, gpu.Item2)),
            KeyValuePair.Create("response_time", new ThresholdLevel(responseTime.Item1, responseTime.Item2)),
            KeyValuePair.Create("error_rate", new ThresholdLevel(errorRate.Item1, errorRate.Item2)),
        ]);
}
