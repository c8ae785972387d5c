using System.Collections.Immutable;
using Keelson.Operations.Monitoring;

namespace Keelson.Server.Api;

/// <summary>
/// The figures the ECP-AI monitoring screens show, each read from measured series only: the seed's pushed names first
/// (<c>cpu_usage</c>, …), then the embedded sandbox's (<c>cpu_usage_percent</c>, <c>latency_seconds</c>, …) scaled to the
/// UI's unit. A figure with no samples is null — never a made-up number.
/// </summary>
public static class MonitoringFigures
{
    /// <summary>One figure and the series it may come from, in order, with the factor to the figure's unit.</summary>
    public sealed record Figure(string Name, ImmutableArray<(string Metric, double Scale)> Sources);

    /// <summary>CPU utilisation, percent.</summary>
    public const string Cpu = "cpu_usage";

    /// <summary>Memory utilisation, percent.</summary>
    public const string Memory = "memory_usage";

    /// <summary>GPU utilisation, percent.</summary>
    public const string Gpu = "gpu_usage";

    /// <summary>Network traffic as pushed (the seed names no unit).</summary>
    public const string Network = "network_io";

    /// <summary>Disk utilisation, percent.</summary>
    public const string Disk = "disk_usage";

    /// <summary>Mean response time, milliseconds.</summary>
    public const string ResponseTime = "response_time";

    /// <summary>Requests per second.</summary>
    public const string Throughput = "requests_per_second";

    /// <summary>Failed requests, percent.</summary>
    public const string ErrorRate = "error_rate";

    /// <summary>Availability, percent.</summary>
    public const string Availability = "availability";

    /// <summary>Concurrent connections or users.</summary>
    public const string Connections = "active_connections";

    /// <summary>Errors counted by an agent.</summary>
    public const string ErrorCount = "error_count";

    /// <summary>Every figure with its sources.</summary>
    public static readonly ImmutableArray<Figure> All =
    [
        new(Cpu, [("cpu_usage", 1), ("cpu_usage_percent", 1)]),
        new(Memory, [("memory_usage", 1), ("memory_usage_percent", 1)]),
        new(Gpu, [("gpu_usage", 1), ("gpu_utilization_percent", 1)]),
        new(Network, [("network_io", 1), ("network_usage", 1)]),
        new(Disk, [("disk_usage", 1), ("storage_usage", 1)]),
        new(ResponseTime, [("response_time", 1), ("latency_seconds", 1000)]),
        new(Throughput, [("requests_per_second", 1), ("throughput", 1)]),
        new(ErrorRate, [("error_rate", 1), ("error_ratio", 100)]),
        new(Availability, [("availability", 1)]),
        new(Connections, [("active_connections", 1), ("concurrent_users", 1)]),
        new(ErrorCount, [("error_count", 1)]),
    ];

    /// <summary>The series names to read.</summary>
    public static readonly ImmutableArray<string> Metrics = [.. All.SelectMany(f => f.Sources.Select(s => s.Metric)).Distinct(StringComparer.Ordinal)];

    /// <summary>The tenant's samples of <see cref="Metrics"/> in the window; empty when the source cannot be reached (a production Prometheus down).</summary>
    public static async Task<IReadOnlyList<MetricSample>> ReadAsync(IMetricSampleSource source, string tenantId, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            var samples = await source.ReadAsync(new MetricSelector(tenantId, start, end, Metrics), cancellationToken).ConfigureAwait(false);
            return [.. samples.Where(s => Metrics.Contains(s.MetricName))];
        }
        catch (HttpRequestException)
        {
            return [];
        }
    }

    /// <summary>Each figure's mean over <paramref name="samples"/> (from its first source that has any); null when none was measured.</summary>
    public static IReadOnlyDictionary<string, double?> Average(IEnumerable<MetricSample> samples) => Reduce(samples, values => values.Average(s => s.Value));

    /// <summary>Each figure's newest value in <paramref name="samples"/>; null when none was measured.</summary>
    public static IReadOnlyDictionary<string, double?> Newest(IEnumerable<MetricSample> samples) => Reduce(samples, values => values.MaxBy(s => s.Timestamp)!.Value);

    /// <summary>
    /// Availability as measured: the pushed <c>availability</c>, else the share of requests that did not fail
    /// (100 − error rate) when an error rate was measured; null otherwise.
    /// </summary>
    public static double? AvailabilityOf(IReadOnlyDictionary<string, double?> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        return figures[Availability] ?? (figures[ErrorRate] is { } errors ? Math.Clamp(100 - errors, 0, 100) : null);
    }

    /// <summary>Rounds for display (two decimals), keeping null.</summary>
    public static double? Round(double? value) => value is { } v ? Math.Round(v, 2) : null;

    private static Dictionary<string, double?> Reduce(IEnumerable<MetricSample> samples, Func<IReadOnlyList<MetricSample>, double> reduce)
    {
        var byName = samples.GroupBy(s => s.MetricName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (IReadOnlyList<MetricSample>)[.. g], StringComparer.Ordinal);
        var figures = new Dictionary<string, double?>(StringComparer.Ordinal);
        foreach (var figure in All)
        {
            double? value = null;
            foreach (var (metric, scale) in figure.Sources)
            {
                if (byName.TryGetValue(metric, out var values) && values.Count > 0)
                {
                    value = reduce(values) * scale;
                    break;
                }
            }

            figures[figure.Name] = value;
        }

        return figures;
    }
}
