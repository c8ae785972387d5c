namespace Keelson.Operations.Monitoring;

/// <summary>The samples one source answered with, and its name.</summary>
/// <param name="Source">The source's <see cref="IMetricSampleSource.Name"/>.</param>
/// <param name="Samples">Its samples, ordered by series name then time.</param>
public sealed record SourcedSamples(string Source, IReadOnlyList<MetricSample> Samples);

/// <summary>
/// Several sources behind one query path, e.g. demo mode's pushed-sample store and the sandbox's simulated pods.
/// Each series comes from one source: where two hold the same metric name, the earlier source wins (pushed samples
/// are an agent's real measurement, so they shadow a simulated series of the same name).
/// </summary>
public sealed class CombinedSampleSource(IReadOnlyList<IMetricSampleSource> sources) : IMetricSampleSource
{
    /// <summary>The sources, in precedence order.</summary>
    public IReadOnlyList<IMetricSampleSource> Sources { get; } = sources is { Count: > 0 } ? sources : throw new ArgumentException("At least one source is needed.", nameof(sources));

    /// <inheritdoc />
    public string Name => string.Join('+', Sources.Select(s => s.Name));

    /// <inheritdoc />
    public async Task<IReadOnlyList<MetricSample>> ReadAsync(MetricSelector selector, CancellationToken cancellationToken) =>
        [.. (await ReadEachAsync(selector, cancellationToken).ConfigureAwait(false))
            .SelectMany(s => s.Samples)
            .OrderBy(s => s.MetricName, StringComparer.Ordinal)
            .ThenBy(s => s.Timestamp)];

    /// <summary>Each source's samples (read concurrently), without the series an earlier source already holds; sources with none left out.</summary>
    public async Task<IReadOnlyList<SourcedSamples>> ReadEachAsync(MetricSelector selector, CancellationToken cancellationToken)
    {
        var answers = await Task.WhenAll(Sources.Select(s => s.ReadAsync(selector, cancellationToken))).ConfigureAwait(false);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<SourcedSamples>();
        for (var i = 0; i < Sources.Count; i++)
        {
            // Copied only when an earlier source holds some of its series: a large answer is passed on as it came.
            var own = taken.Count > 0 && answers[i].Any(s => taken.Contains(s.MetricName)) ? answers[i].Where(s => !taken.Contains(s.MetricName)).ToList() : answers[i];
            taken.UnionWith(own.Select(s => s.MetricName));
            if (own.Count > 0)
            {
                result.Add(new SourcedSamples(Sources[i].Name, own));
            }
        }

        return result;
    }
}
