using System.Globalization;
using System.Threading.Channels;
using Keelson.Delivery.Clusters;
using Keelson.Sandbox.Store;

namespace Keelson.Sandbox.Server.Resources;

/// <summary>
/// Recent changes of every served resource, so a watch that starts at a list's resourceVersion replays exactly
/// what happened after that list (a deletion in between included), as the API server's watch cache does.
/// Every member runs inside the gate: the store writes to the feeds synchronously, so draining there is complete.
/// </summary>
/// <remarks>
/// A change is kept for a window of cluster time and within a count per resource, whichever ends first — etcd's
/// compaction and the watch cache's capacity. Each kept change holds a whole copy of its object, so without the
/// window a sandbox that deployed once held thousands of old pods, leases and events for as long as it ran.
/// </remarks>
internal sealed class WatchHistory
{
    // The API server's watch cache keeps about this many events per resource before answering 410 Gone.
    private const int Kept = 4096;

    // By apiVersion and plural: a custom resource's ApiResource is rebuilt whenever its definition changes.
    private readonly Dictionary<string, Feed> feeds = new(StringComparer.Ordinal);
    private readonly ObjectStore store;
    private readonly CancellationToken stopping;
    private readonly TimeProvider clock;
    private readonly TimeSpan window;

    /// <summary>Starts recording every served resource from the store's current version, keeping each change for <paramref name="window"/> of <paramref name="clock"/>'s time.</summary>
    public WatchHistory(ObjectStore store, TimeProvider clock, TimeSpan window, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        this.store = store;
        this.stopping = stopping;
        this.clock = clock;
        this.window = window;
        foreach (var resource in ResourceCatalog.All)
        {
            Track(resource);
        }
    }

    /// <summary>Starts recording a resource's changes from the store's current version (nothing when it is recorded already).</summary>
    public void Track(ApiResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (!feeds.ContainsKey(KeyOf(resource)))
        {
            feeds[KeyOf(resource)] = new Feed(store.Watch(resource.Group, resource.Kind, null, stopping), store.ResourceVersion);
        }
    }

    /// <summary>The changes to a resource after <paramref name="version"/>, oldest first; null when they are no longer kept.</summary>
    public IReadOnlyList<ClusterEvent>? Since(ApiResource resource, long version)
    {
        var feed = feeds[KeyOf(resource)];
        Drain(feed);
        return version < feed.Covers ? null : [.. feed.Recent.Select(r => r.Change).Where(e => VersionOf(e) > version)];
    }

    /// <summary>
    /// Whether the state at <paramref name="version"/> is still within what is kept, the sandbox's stand-in for etcd's
    /// compaction: a continue token from before it is 410 Expired.
    /// </summary>
    public bool Keeps(ApiResource resource, long version)
    {
        var feed = feeds[KeyOf(resource)];
        Drain(feed);
        return version >= feed.Covers;
    }

    /// <summary>The version before the oldest change kept: a watch from before it cannot be served.</summary>
    public long OldestKept(ApiResource resource)
    {
        var feed = feeds[KeyOf(resource)];
        Drain(feed);
        return feed.Covers;
    }

    /// <summary>Moves every pending change into the history and forgets the oldest beyond the bound.</summary>
    public void DrainAll()
    {
        foreach (var feed in feeds.Values)
        {
            Drain(feed);
        }
    }

    /// <summary>The resourceVersion an event happened at.</summary>
    public static long VersionOf(ClusterEvent change) =>
        long.TryParse(change.Resource.Metadata.ResourceVersion, NumberStyles.Integer, CultureInfo.InvariantCulture, out var version) ? version : 0;

    private static string KeyOf(ApiResource resource) => $"{resource.ApiVersion}/{resource.Plural}";

    private void Drain(Feed feed) => feed.Drain(clock.GetUtcNow(), window);

    private sealed class Feed(ChannelReader<ClusterEvent> reader, long covers)
    {
        /// <summary>Changes oldest first, each with the time it was drained (at most one clock step after it happened).</summary>
        public Queue<(ClusterEvent Change, DateTimeOffset At)> Recent { get; } = new();

        /// <summary>The oldest version after which every change is still in <see cref="Recent"/>.</summary>
        public long Covers { get; private set; } = covers;

        public void Drain(DateTimeOffset now, TimeSpan window)
        {
            while (reader.TryRead(out var change))
            {
                Recent.Enqueue((change, now));
            }

            while (Recent.Count > Kept || (Recent.Count > 0 && now - Recent.Peek().At > window))
            {
                Covers = VersionOf(Recent.Dequeue().Change);
            }
        }
    }
}
