using System.Globalization;
using System.Text.RegularExpressions;
using Keelson.Operations.Monitoring;
using Keelson.Server.Http;
using Keelson.Server.Monitoring;

namespace Keelson.Server.Api;

/// <summary>The seed's <c>GET /tenants/{tenant_id}/monitoring?metric_type=cpu&amp;hours=24</c> and its extensions.</summary>
public static partial class MonitoringQueryEndpoint
{
    /// <summary>Most points one series may have (Prometheus's own limit for a range query).</summary>
    public const int MaxPoints = 11_000;

    /// <summary>
    /// The answer: the window, which sources answered (<c>store</c>, <c>sandbox</c>, <c>prometheus</c>; joined with
    /// <c>+</c> when several did, the configured sources when none had data), and per series its source, points and summary.
    /// </summary>
    public sealed record MetricsAnswer(string TenantId, DateTimeOffset Start, DateTimeOffset End, double? StepSeconds, string Aggregation, string Source, IReadOnlyList<SeriesAnswer> Series);

    /// <summary>One series of the answer.</summary>
    public sealed record SeriesAnswer(string MetricName, string MetricType, string Source, IReadOnlyList<MetricPoint> Points, SeriesSummary Summary);

    /// <summary>The per-component answer: the window, the source that answered (<c>sandbox</c>, <c>prometheus</c>, or <c>none</c>) and each component's series.</summary>
    public sealed record ComponentsAnswer(string TenantId, DateTimeOffset Start, DateTimeOffset End, double? StepSeconds, string Aggregation, string Source, IReadOnlyList<ComponentAnswer> Components);

    /// <summary>One component of the tenant and its series.</summary>
    public sealed record ComponentAnswer(string Component, IReadOnlyList<SeriesAnswer> Series);

    // The query parameters both routes take, checked.
    private sealed record Window(bool Demo, MetricSelector Selector, TimeSpan? Width, Aggregation Reduce);

    internal static async Task<IResult> Query(
        HttpContext http, TenantDatabases databases, TenantMonitoring monitoring, string tenant_id,
        string? metric_type, string[]? metric, string? hours, string? start, string? end, string? step, string? aggregation, CancellationToken cancellationToken)
    {
        var (window, problem) = await OpenAsync(http, databases, tenant_id, metric_type, metric, hours, start, end, step, aggregation, cancellationToken).ConfigureAwait(false);
        if (window is null)
        {
            return problem!;
        }


        // Read your own writes: a push answered 202 a moment ago is visible once its batch commits.
        using (var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            wait.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                await monitoring.Writer(window.Demo).FlushAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }
        }

        var source = monitoring.Source(window.Demo);
        IReadOnlyList<SourcedSamples> answered;
        try
        {
            answered = source is CombinedSampleSource combined
                ? await combined.ReadEachAsync(window.Selector, cancellationToken).ConfigureAwait(false)
                : [new SourcedSamples(source.Name, await source.ReadAsync(window.Selector, cancellationToken).ConfigureAwait(false))];
        }
        catch (Exception e) when (Unanswered(e, cancellationToken))
        {
            return SourceFailed(source, e);
        }

        var series = answered
            .SelectMany(a => SeriesOf(a.Samples, a.Source, window))
            .OrderBy(s => s.MetricName, StringComparer.Ordinal)
            .ToList();
        var sources = answered.Where(a => a.Samples.Count > 0).Select(a => a.Source).ToList();
        var named = sources.Count == 0 ? source.Name : string.Join('+', sources);
        return TypedResults.Ok(new MetricsAnswer(tenant_id, window.Selector.Start, window.Selector.End, window.Width?.TotalSeconds, window.Reduce.ToString().ToLowerInvariant(), named, series));
    }

    internal static async Task<IResult> Components(
        HttpContext http, TenantDatabases databases, TenantMonitoring monitoring, string tenant_id,
        string? metric_type, string[]? metric, string? hours, string? start, string? end, string? step, string? aggregation, CancellationToken cancellationToken)
    {
        var (window, problem) = await OpenAsync(http, databases, tenant_id, metric_type, metric, hours, start, end, step, aggregation, cancellationToken).ConfigureAwait(false);
        if (window is null)
        {
            return problem!;
        }


        var reduce = window.Reduce.ToString().ToLowerInvariant();
        if (monitoring.ComponentSource(window.Demo) is not { } source)
        {
            return TypedResults.Ok(new ComponentsAnswer(tenant_id, window.Selector.Start, window.Selector.End, window.Width?.TotalSeconds, reduce, "none", []));
        }

        IReadOnlyList<ComponentSamples> answered;
        try
        {
            answered = await source.ReadComponentsAsync(window.Selector, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (Unanswered(e, cancellationToken))
        {
            return SourceFailed(source, e);
        }

        var components = answered.Select(c => new ComponentAnswer(c.Component, SeriesOf(c.Samples, source.Name, window))).ToList();
        return TypedResults.Ok(new ComponentsAnswer(tenant_id, window.Selector.Start, window.Selector.End, window.Width?.TotalSeconds, reduce, source.Name, components));
    }

    private static List<SeriesAnswer> SeriesOf(IReadOnlyList<MetricSample> samples, string source, Window window) =>
        [.. SeriesRuns.Of(samples).Select(run => new SeriesAnswer(
            run[0].MetricName, run[0].MetricType, source, SeriesAggregation.Points(run, window.Selector.Start, window.Width, window.Reduce), SeriesAggregation.Summary(run)))];

    private static bool Unanswered(Exception e, CancellationToken cancellationToken) =>
        e is PrometheusQueryException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested;

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult SourceFailed(IMetricSampleSource source, Exception e) => TypedResults.Problem(
        statusCode: StatusCodes.Status502BadGateway, title: "The metrics source did not answer",
        detail: e is PrometheusQueryException ? e.Message : $"The {source.Name} source failed: {e.Message}", type: "https://keelson.dev/problems/502");

    // The mode, the tenant (404 when unknown in that mode) and the window, or the problem with them.
    private static async Task<(Window? Window, IResult? Problem)> OpenAsync(
        HttpContext http, TenantDatabases databases, string tenant,
        string? metric_type, string[]? metric, string? hours, string? start, string? end, string? step, string? aggregation, CancellationToken cancellationToken)
    {
        var demo = DemoModeFilter.IsDemo(http);
        if (await databases.For(demo).Tenants.GetAsync(tenant, cancellationToken).ConfigureAwait(false) is null)
        {
            return (null, Problems.NotFound(tenant));
        }

        var window = Parse(demo, tenant, metric_type, metric, hours, start, end, step, aggregation, out var problem);
        return (window, problem);
    }

    private static Window? Parse(
        bool demo, string tenant, string? metric_type, string[]? metric, string? hours, string? start, string? end, string? step, string? aggregation, out IResult? problem)
    {
        problem = null;
        var now = TimeProvider.System.GetUtcNow();
        if (!TryTime(end, now, out var to))
        {
            problem = Bad("end", "must be an ISO-8601 time or Unix seconds");
            return null;
        }

        double lookback = 1;
        if (hours is not null && (!double.TryParse(hours, NumberStyles.Float, CultureInfo.InvariantCulture, out lookback) || !double.IsFinite(lookback) || lookback <= 0 || lookback > 24 * 366))
        {
            problem = Bad("hours", "must be a positive number of hours, e.g. 24");
            return null;
        }

        if (!TryTime(start, to.AddHours(-lookback), out var from) || from > to)
        {
            problem = Bad("start", "must be an ISO-8601 time or Unix seconds, no later than end");
            return null;
        }

        TimeSpan? width = null;
        if (step is not null)
        {
            if (!TryDuration(step, out var parsed))
            {
                problem = Bad("step", "must be a duration such as 60, 60s, 5m or 1h");
                return null;
            }

            if ((to - from) / parsed > MaxPoints)
            {
                problem = Bad("step", $"gives more than {MaxPoints} points over the window; choose a wider step");
                return null;
            }

            width = parsed;
        }

        var reduce = Aggregation.Avg;
        if (aggregation is not null && !Enum.GetValues<Aggregation>().Any(a => string.Equals(a.ToString(), aggregation, StringComparison.OrdinalIgnoreCase) && (reduce = a) == a))
        {
            problem = Bad("aggregation", "must be one of avg, min, max, p95, last, rate");
            return null;
        }

        var wanted = (metric_type ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat((metric ?? []).SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            .Distinct(StringComparer.Ordinal).ToList();
        if (wanted.FirstOrDefault(m => !MetricNames.IsValid(m)) is { } invalid)
        {
            problem = Bad(metric_type is not null && metric_type.Contains(invalid, StringComparison.Ordinal) ? "metric_type" : "metric", $"'{invalid}' is not a metric type or Prometheus metric name");
            return null;
        }

        return new Window(demo, new MetricSelector(tenant, from, to, wanted), width, reduce);
    }

    private static bool TryTime(string? text, DateTimeOffset fallback, out DateTimeOffset time)
    {
        time = fallback;
        if (text is null)
        {
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && Math.Abs(seconds) < 1e11)
        {
            time = DateTimeOffset.UnixEpoch.AddSeconds(seconds);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }

    private static bool TryDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var match = Duration().Match(text);
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return false;
        }

        duration = match.Groups[2].Value switch
        {
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            "d" => TimeSpan.FromDays(amount),
            _ => TimeSpan.FromSeconds(amount),
        };
        return duration >= TimeSpan.FromMilliseconds(1);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Bad(string parameter, string message) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest, title: $"The query parameter '{parameter}' is not valid", detail: $"{parameter} {message}.",
        type: "https://keelson.dev/problems/400", extensions: new Dictionary<string, object?> { ["parameter"] = parameter });

    [GeneratedRegex("^([0-9]+(?:\\.[0-9]+)?)(s|m|h|d)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Duration();
}
