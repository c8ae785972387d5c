namespace Keelson.Operations.Monitoring;

/// <summary>Limits of the pushed-metrics store: retention, series per tenant, and the write queue.</summary>
public sealed record MetricStoreOptions
{
    /// <summary>How long raw samples are kept (the seed's default of Prometheus: 15 days).</summary>
    public TimeSpan Retention { get; init; } = TimeSpan.FromDays(15);

    /// <summary>How long 1-minute roll-ups of deleted samples are kept.</summary>
    public TimeSpan MinuteRollupRetention { get; init; } = TimeSpan.FromDays(90);

    /// <summary>How long 1-hour roll-ups are kept.</summary>
    public TimeSpan HourRollupRetention { get; init; } = TimeSpan.FromDays(400);

    /// <summary>How often retention runs.</summary>
    public TimeSpan RetentionInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Distinct metric names one tenant may have in the store.</summary>
    public int MaxSeriesPerTenant { get; init; } = 1000;

    /// <summary>Samples accepted but not yet written before pushes are refused (503).</summary>
    public int QueueCapacity { get; init; } = 100_000;

    /// <summary>Most samples written in one transaction.</summary>
    public int BatchSize { get; init; } = 5000;

    /// <summary>Throws naming the field when a limit is not positive.</summary>
    public void Validate()
    {
        if (Retention <= TimeSpan.Zero) throw new ArgumentException("Retention must be positive, e.g. 15.00:00:00.", nameof(Retention));
        if (MinuteRollupRetention < Retention) throw new ArgumentException("MinuteRollupRetention must be at least Retention: roll-ups answer for what raw samples no longer cover.", nameof(MinuteRollupRetention));
        if (HourRollupRetention < MinuteRollupRetention) throw new ArgumentException("HourRollupRetention must be at least MinuteRollupRetention.", nameof(HourRollupRetention));
        if (RetentionInterval <= TimeSpan.Zero) throw new ArgumentException("RetentionInterval must be positive.", nameof(RetentionInterval));
        if (MaxSeriesPerTenant < 1) throw new ArgumentException("MaxSeriesPerTenant must be at least 1.", nameof(MaxSeriesPerTenant));
        if (QueueCapacity < 1) throw new ArgumentException("QueueCapacity must be at least 1.", nameof(QueueCapacity));
        if (BatchSize < 1) throw new ArgumentException("BatchSize must be at least 1.", nameof(BatchSize));
    }
}
