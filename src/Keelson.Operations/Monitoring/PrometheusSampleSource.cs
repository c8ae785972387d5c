using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace Keelson.Operations.Monitoring;

/// <summary>Where a real cluster's Prometheus is and how a tenant's series are found in it.</summary>
/// <param name="BaseAddress">The Prometheus server, e.g. <c>http://prometheus.monitoring:9090/</c> (the seed's <c>MONITORING_ENDPOINT</c>).</param>
/// <param name="TenantLabel">The label that scopes a series to a tenant: <c>namespace</c> for a delivered stack's pods, <c>tenant</c> for scraped pushes.</param>
/// <param name="MinimumStep">The finest resolution asked for; Prometheus's own scrape interval makes anything finer pointless.</param>
/// <param name="Mode">
/// Which mode's series to read (<c>production</c>): scraped pushes carry a <c>mode</c> label, and demo samples must
/// not be summed into production's. Series without the label (a real cluster's own) are read too. Null reads all.
/// </param>
/// <param name="ComponentLabel">
/// The label that names a component of the tenant: <c>container</c> (cAdvisor's and most exporters'; a rendered stack
/// names each container after its component).
/// </param>
public sealed record PrometheusSourceOptions(Uri BaseAddress, string TenantLabel = "namespace", TimeSpan? MinimumStep = null, string? Mode = null, string ComponentLabel = "container");

/// <summary>
/// Reads a tenant's samples from a real Prometheus over its HTTP API (<c>/api/v1/query_range</c>), so the query path
/// answers the same shape whether the numbers were pushed to Keelson or scraped by the cluster's Prometheus.
/// Series of one name (one per pod, say) are summed per instant, as a dashboard's <c>sum by (__name__)</c> would.
/// </summary>
public sealed class PrometheusSampleSource(HttpClient http, PrometheusSourceOptions options) : IComponentSampleSource, IInstantQuery
{
    /// <summary>Most points Prometheus returns per series; the step is widened to stay under it.</summary>
    public const int MaxPoints = 11_000;

    /// <inheritdoc />
    public string Name => "prometheus";

    /// <inheritdoc />
    public async Task<IReadOnlyList<MetricSample>> ReadAsync(MetricSelector selector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var sums = await RangeAsync(selector, _ => "", cancellationToken).ConfigureAwait(false);
        return [.. sums.SelectMany(s => s.Value.Select(p => MetricSample.Of(selector.TenantId, s.Key.Name, p.Value, p.Key)))];
    }

    /// <summary>
    /// The samples per value of the component label, summed per instant within a component. Series without the label,
    /// and cAdvisor's pod-level <c>POD</c> container, belong to no component and are left out.
    /// </summary>
    public async Task<IReadOnlyList<ComponentSamples>> ReadComponentsAsync(MetricSelector selector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var sums = await RangeAsync(
            selector,
            labels => labels.TryGetProperty(options.ComponentLabel, out var value) && value.GetString() is { Length: > 0 } component && component != "POD" ? component : null,
            cancellationToken).ConfigureAwait(false);
        return [.. sums.GroupBy(s => s.Key.Group, StringComparer.Ordinal)
            .Select(g => new ComponentSamples(g.Key, [.. g.SelectMany(s => s.Value.Select(p => MetricSample.Of(selector.TenantId, s.Key.Name, p.Value, p.Key)))]))];
    }

    // (group, name) -> instant -> summed value; the sorted dictionaries keep the answer ordered by group, name, time.
    private async Task<SortedDictionary<(string Group, string Name), SortedDictionary<DateTimeOffset, double>>> RangeAsync(
        MetricSelector selector, Func<JsonElement, string?> groupOf, CancellationToken cancellationToken)
    {
        var step = Step(selector.End - selector.Start);
        var query = Query(selector);
        var uri = new Uri(options.BaseAddress, "api/v1/query_range?" + string.Join('&',
            $"query={Uri.EscapeDataString(query)}",
            $"start={Unix(selector.Start)}",
            $"end={Unix(selector.End)}",
            $"step={step.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)}"));

        using var response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        using var document = await ReadAsync(response, query, cancellationToken).ConfigureAwait(false);
        var sums = new SortedDictionary<(string Group, string Name), SortedDictionary<DateTimeOffset, double>>(GroupOrder.Instance);
        foreach (var series in document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray())
        {
            var labels = series.GetProperty("metric");
            if (!labels.TryGetProperty("__name__", out var nameElement) || nameElement.GetString() is not { } name || !Wanted(name, selector.Metrics) || groupOf(labels) is not { } group)
            {
                continue;
            }

            if (!sums.TryGetValue((group, name), out var points))
            {
                sums[(group, name)] = points = [];
            }

            foreach (var pair in series.GetProperty("values").EnumerateArray())
            {
                var time = DateTimeOffset.UnixEpoch.AddSeconds(pair[0].GetDouble());
                if (!double.TryParse(pair[1].GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                {
                    continue;
                }

                points[time] = points.GetValueOrDefault(time) + value;
            }
        }

        return sums;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<InstantSample>> QueryAsync(string promql, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(promql);
        var uri = new Uri(options.BaseAddress, $"api/v1/query?query={Uri.EscapeDataString(promql)}&time={Unix(at)}");
        using var response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
        using var document = await ReadAsync(response, promql, cancellationToken).ConfigureAwait(false);
        var data = document.RootElement.GetProperty("data");
        var result = data.GetProperty("result");
        static double Parse(JsonElement pair) =>
            double.TryParse(pair[1].GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN;
        return data.GetProperty("resultType").GetString() switch
        {
            "vector" => [.. result.EnumerateArray()
                .Select(s => new InstantSample(
                    s.GetProperty("metric").EnumerateObject().ToImmutableSortedDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal),
                    Parse(s.GetProperty("value"))))
                .OrderBy(s => string.Join(',', s.Labels.Select(l => $"{l.Key}={l.Value}")), StringComparer.Ordinal)],
            "scalar" => [new InstantSample(ImmutableSortedDictionary<string, string>.Empty, Parse(result))],
            var other => throw new PrometheusQueryException($"Prometheus at {options.BaseAddress} answered '{promql}' with a {other}; an alert expression must give an instant vector"),
        };
    }

    private async Task<JsonDocument> ReadAsync(HttpResponseMessage response, string query, CancellationToken cancellationToken)
    {
        var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        if (!response.IsSuccessStatusCode || root.GetProperty("status").GetString() != "success")
        {
            var error = root.TryGetProperty("error", out var e) ? e.GetString() : response.ReasonPhrase;
            document.Dispose();
            throw new PrometheusQueryException($"Prometheus at {options.BaseAddress} answered {(int)response.StatusCode} to '{query}': {error}");
        }

        return document;
    }

    /// <summary>The PromQL selector: the tenant's label, and the wanted names or <c>type_*</c> families.</summary>
    internal string Query(MetricSelector selector)
    {
        var tenant = selector.TenantId.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        var matchers = $"{options.TenantLabel}=\"{tenant}\"";
        if (options.Mode is { } mode)
        {
            // The empty alternative matches series without a mode label, as PromQL treats a missing label as "".
            matchers += $",mode=~\"|{System.Text.RegularExpressions.Regex.Escape(mode)}\"";
        }
        if (selector.Metrics.Count == 0)
        {
            return $"{{{matchers}}}";
        }

        // Names are validated Prometheus names ([a-zA-Z0-9_:]), so they need no regex escaping. A bare word is also a type.
        var alternatives = selector.Metrics.Select(m => m.Contains('_', StringComparison.Ordinal) || m.Contains(':', StringComparison.Ordinal) ? m : $"(?i:{m})([_:].*)?");
        return $"{{__name__=~\"{string.Join('|', alternatives)}\",{matchers}}}";
    }

    private TimeSpan Step(TimeSpan window)
    {
        var minimum = options.MinimumStep ?? TimeSpan.FromSeconds(15);
        var needed = TimeSpan.FromSeconds(Math.Ceiling(window.TotalSeconds / MaxPoints));
        return needed > minimum ? needed : minimum;
    }

    private static bool Wanted(string name, IReadOnlyList<string> metrics) =>
        metrics.Count == 0 || metrics.Any(m => string.Equals(m, name, StringComparison.Ordinal) || string.Equals(m, MetricNames.TypeOf(name), StringComparison.Ordinal));

    private static string Unix(DateTimeOffset time) => (time.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
}

/// <summary>Orders (group, name) keys ordinally, group first.</summary>
file sealed class GroupOrder : IComparer<(string Group, string Name)>
{
    public static readonly GroupOrder Instance = new();

    public int Compare((string Group, string Name) x, (string Group, string Name) y)
    {
        var group = string.CompareOrdinal(x.Group, y.Group);
        return group != 0 ? group : string.CompareOrdinal(x.Name, y.Name);
    }
}

/// <summary>Prometheus refused or failed a query; the message names the server and the query.</summary>
public sealed class PrometheusQueryException(string message) : Exception(message);
