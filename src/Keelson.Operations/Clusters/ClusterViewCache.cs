using Keelson.Delivery.Clusters;
using Microsoft.Extensions.Logging;

namespace Keelson.Operations.Clusters;

/// <summary>
/// Cluster views answered from memory. The first request for a cluster starts a <see cref="ClusterWatch"/> (list once,
/// then watch); later requests build the view from what the watches delivered, with no call to the cluster. A cluster
/// nobody asked about for <see cref="ClusterViewCacheOptions.IdleAfter"/> stops being watched. A cluster that cannot
/// list and watch (no <see cref="IListWatch"/>) is read directly every time, as before.
/// </summary>
public sealed partial class ClusterViewCache : IAsyncDisposable
{
    private readonly ClusterViewCacheOptions options;
    private readonly ILogger<ClusterViewCache> logger;
    private readonly Lock gate = new();
    private readonly Dictionary<ICluster, (string Name, ClusterWatch Watch)> watches = new(ReferenceEqualityComparer.Instance);
    private readonly ITimer idleCheck;
    private int disposed;

    /// <summary>A cache with <paramref name="options"/>; nothing is watched until asked for.</summary>
    public ClusterViewCache(ClusterViewCacheOptions options, ILogger<ClusterViewCache> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.logger = logger;
        var period = TimeSpan.FromTicks(Math.Max(options.IdleAfter.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks));
        idleCheck = options.Time.CreateTimer(_ => _ = StopIdleAsync(), null, period, period);
    }

    /// <summary>The names of the clusters watched now.</summary>
    public IReadOnlyList<string> Watched
    {
        get
        {
            lock (gate)
            {
                return [.. watches.Values.Select(w => w.Name).Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>The watch of <paramref name="cluster"/>, or null when it is not watched now.</summary>
    public ClusterWatch? WatchOf(ICluster cluster)
    {
        lock (gate)
        {
            return watches.TryGetValue(cluster, out var found) ? found.Watch : null;
        }
    }

    /// <summary>
    /// The <see cref="ClusterWatch.Version"/> of <paramref name="cluster"/>'s watch, marking it in use as a read does;
    /// null when it is not watched (not read yet, stopped as idle, or a cluster that cannot list and watch).
    /// </summary>
    public long? VersionOf(ICluster cluster)
    {
        lock (gate)
        {
            if (!watches.TryGetValue(cluster, out var found))
            {
                return null;
            }

            found.Watch.Touch();
            return found.Watch.Version;
        }
    }

    /// <summary>
    /// The view of <paramref name="cluster"/> named <paramref name="name"/>, for every tenant (<paramref name="tenant"/>
    /// null) or one, with at most <paramref name="events"/> autoscaler events; as <see cref="ClusterViewReader.ReadAsync"/>
    /// gives it, but from the watches once they have synced.
    /// </summary>
    public async Task<ClusterView> ReadAsync(string name, string kind, ICluster cluster, string? tenant, int events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(events, ClusterViewReader.MaxEvents);
        if (cluster is not IListWatch source)
        {
            return await ClusterViewReader.ReadAsync(name, kind, cluster, tenant, events, cancellationToken).ConfigureAwait(false);
        }

        ClusterWatch watch;
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed != 0, this);
            if (watches.TryGetValue(cluster, out var found))
            {
                watch = found.Watch;
            }
            else
            {
                watch = new ClusterWatch(source, cluster as IResourceMetrics, options);
                watches[cluster] = (name, watch);
                watch.Start();
                LogStarted(name);
            }

            watch.Touch();
        }

        return await watch.ViewAsync(name, kind, cluster.Time.GetUtcNow(), tenant, events, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops every watch.</summary>
    public async ValueTask DisposeAsync()
    {
        List<ClusterWatch> stopped;
        lock (gate)
        {
            if (Interlocked.Exchange(ref disposed, 1) == 1)
            {
                return;
            }

            stopped = [.. watches.Values.Select(w => w.Watch)];
            watches.Clear();
        }

        await idleCheck.DisposeAsync().ConfigureAwait(false);
        foreach (var watch in stopped)
        {
            await watch.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task StopIdleAsync()
    {
        List<(string Name, ClusterWatch Watch)> idle;
        lock (gate)
        {
            // Under the lock a request takes to find and touch a watch, so none is stopped while a request uses it.
            var clusters = watches.Where(w => w.Value.Watch.Idle >= options.IdleAfter).Select(w => w.Key).ToList();
            idle = [.. clusters.Select(c => watches[c])];
            foreach (var cluster in clusters)
            {
                watches.Remove(cluster);
            }
        }

        foreach (var (name, watch) in idle)
        {
            await watch.DisposeAsync().ConfigureAwait(false);
            LogStopped(name, options.IdleAfter);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster view of {Cluster}: listing and watching nodes, pods, namespaces, autoscalers and events")]
    private partial void LogStarted(string cluster);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster view of {Cluster}: no request for {Idle}, watches stopped")]
    private partial void LogStopped(string cluster, TimeSpan idle);
}
