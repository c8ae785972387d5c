namespace Keelson.Operations.Monitoring;

/// <summary>Where pushed samples are kept: written in batches, read by window, trimmed by retention.</summary>
public interface IMetricStore : IMetricSampleSource
{
    /// <summary>Stores all of <paramref name="samples"/> in one transaction.</summary>
    Task WriteAsync(IReadOnlyList<MetricSample> samples, CancellationToken cancellationToken);

    /// <summary>Deletes every sample older than <paramref name="cutoff"/>; returns how many.</summary>
    Task<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);

    /// <summary>The distinct series (metric names) stored for a tenant.</summary>
    Task<IReadOnlyList<string>> SeriesAsync(string tenantId, CancellationToken cancellationToken);
}
