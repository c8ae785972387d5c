namespace Keelson.Operations.Monitoring;

/// <summary>Where pushed samples are kept: written in batches, read by window, trimmed by retention.</summary>
public interface IMetricStore : IMetricSampleSource
{
    /// <summary>Stores all of <paramref name="samples"/> in one transaction.</summary>
    Task WriteAsync(IReadOnlyList<MetricSample> samples, CancellationToken cancellationToken);

    /// <summary>Folds every sample older than <paramref name="cutoff"/> into the roll-ups, then deletes it; returns how many were deleted.</summary>
    Task<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);

    /// <summary>Deletes the roll-up buckets of one resolution that start before <paramref name="cutoff"/>; returns how many.</summary>
    Task<long> DeleteRollupsOlderThanAsync(TimeSpan resolution, DateTimeOffset cutoff, CancellationToken cancellationToken);

    /// <summary>The distinct series (metric names) stored for a tenant.</summary>
    Task<IReadOnlyList<string>> SeriesAsync(string tenantId, CancellationToken cancellationToken);
}
