using System.Globalization;
using System.Text.Json.Nodes;

namespace Keelson.Console.Api;

/// <summary>The <c>sla_target</c> of <c>GET /api/v1/tenants/{id}</c>, as the tenant page reads it.</summary>
public sealed record TenantSlaTarget(JsonObject? SlaTarget);

/// <summary>The answer of <c>GET /api/v1/tenants/{id}/monitoring</c> with each series' summary.</summary>
public sealed record MonitoringSummaries(IReadOnlyList<SummarisedSeries> Series);

/// <summary>One series and its summary over the window.</summary>
public sealed record SummarisedSeries(string MetricName, SeriesSummaryView Summary);

/// <summary>A series' count, minimum, maximum, mean, 95th percentile and newest value.</summary>
public sealed record SeriesSummaryView(int Count, double Min, double Max, double Avg, double P95, double Last);

/// <summary>
/// A tenant against its SLA over a window: availability (the pushed <c>availability</c>, else 100 − <c>error_rate</c>,
/// as the monitoring API's own SLA figures read it, else 100 × (1 − the sandbox's <c>error_ratio</c>)), p95 latency
/// (the pushed <c>response_time</c>, else the sandbox's <c>latency_seconds</c>), and the error budget left:
/// 1 − (100 − availability) / (100 − target). <see cref="AvailabilityFrom"/> and <see cref="LatencyFrom"/> name the series used.
/// </summary>
public sealed record SlaStatus(
    double? TargetAvailability, double? TargetLatencyMs, double? Availability, double? LatencyP95Ms, double? BudgetLeftPercent,
    string? AvailabilityFrom = null, string? LatencyFrom = null)
{
    /// <summary>The series the panel asks the monitoring API for: pushed ones first, the sandbox's after.</summary>
    public static readonly string[] Metrics = ["availability", "error_rate", "error_ratio", "response_time", "latency_seconds"];

    /// <summary>The figures from the tenant's target and the window's series.</summary>
    public static SlaStatus From(JsonObject? target, IReadOnlyList<SummarisedSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var availabilityTarget = Number(target?["availability"], "%");
        var latencyTarget = Milliseconds(target?["response_time"]);
        SeriesSummaryView? Of(string name) => series.FirstOrDefault(s => s.MetricName == name && s.Summary.Count > 0)?.Summary;
        var (measured, availabilityFrom) = Of("availability") is { } pushed ? (pushed.Avg, "availability")
            : Of("error_rate") is { } rate ? (Math.Clamp(100 - rate.Avg, 0, 100), "error_rate")
            : Of("error_ratio") is { } ratio ? (Math.Clamp(100 * (1 - ratio.Avg), 0, 100), "error_ratio")
            : ((double?)null, (string?)null);
        var (latency, latencyFrom) = Of("response_time") is { } response ? (response.P95, "response_time")
            : Of("latency_seconds") is { } seconds ? (seconds.P95 * 1000, "latency_seconds")
            : ((double?)null, (string?)null);
        double? budget = measured is { } a && availabilityTarget is { } t && t < 100 ? Math.Clamp(100 * (1 - ((100 - a) / (100 - t))), 0, 100) : null;
        return new SlaStatus(availabilityTarget, latencyTarget, measured, latency, budget, availabilityFrom, latencyFrom);
    }

    /// <summary>Whether availability meets its target; null when either is unknown.</summary>
    public bool? AvailabilityMet => Availability is { } a && TargetAvailability is { } t ? a >= t : null;

    /// <summary>Whether p95 latency meets its target; null when either is unknown.</summary>
    public bool? LatencyMet => LatencyP95Ms is { } l && TargetLatencyMs is { } t ? l <= t : null;

    // "99.9%", "99.9" or 99.9.
    private static double? Number(JsonNode? node, string suffix) => node switch
    {
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v when v.TryGetValue<string>(out var s) && double.TryParse(s.Trim().TrimEnd(suffix.ToCharArray()), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    // "200ms", "1.5s" or a number of milliseconds.
    private static double? Milliseconds(JsonNode? node)
    {
        if (node is JsonValue v && v.TryGetValue<string>(out var text))
        {
            text = text.Trim();
            return text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? Parse(text[..^2])
                : text.EndsWith('s') ? Parse(text[..^1]) * 1000
                : Parse(text);
        }

        return Number(node, "");
    }

    private static double? Parse(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
}
