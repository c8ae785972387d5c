namespace Keelson.Operations.Clusters;

/// <summary>How <see cref="ClusterViewCache"/> keeps clusters in memory.</summary>
public sealed record ClusterViewCacheOptions
{
    /// <summary>A cluster nobody has asked about for this long stops being watched (the next request lists it again).</summary>
    public TimeSpan IdleAfter { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the metrics API is read while a cluster is watched (metrics-server's own resolution is 15 s).</summary>
    public TimeSpan MetricsInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a request waits for the first list (or a relist after a broken watch) before it fails.</summary>
    public TimeSpan SyncTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long one watch request stays open before the server ends it and it is opened again.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The clock idle times and back-offs are measured on (wall time, not the sandbox's virtual clock).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
