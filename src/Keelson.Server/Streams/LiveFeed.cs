using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Keelson.Server.Streams;

/// <summary>
/// Hands per-tenant messages to WebSocket subscribers of one mode: a subscriber of a tenant gets that tenant's, a
/// subscriber of every tenant (an admin key) gets all. A message is serialised once for all its subscribers; each
/// subscriber has a bounded queue and one that falls behind is dropped (<see cref="QueuedSubscriber.Dropped"/>), so a
/// slow reader never holds memory or the publisher.
/// </summary>
public sealed class LiveFeed
{
    private const string Everyone = "";
    private readonly ConcurrentDictionary<(bool Demo, string Tenant), ConcurrentDictionary<LiveSubscriber, bool>> subscribers = new();
    private int count;

    /// <summary>Live subscribers.</summary>
    public int Count => Volatile.Read(ref count);

    /// <summary>Starts delivering the messages of <paramref name="tenantId"/> (null: of every tenant) in one mode.</summary>
    public LiveSubscriber Subscribe(bool demo, string? tenantId, int capacity)
    {
        var subscriber = new LiveSubscriber(this, demo, tenantId ?? Everyone, capacity);
        subscribers.GetOrAdd((demo, subscriber.Tenant), _ => new()).TryAdd(subscriber, true);
        Interlocked.Increment(ref count);
        return subscriber;
    }

    /// <summary>The tenants with a subscriber of their own in a mode (every-tenant subscribers not counted).</summary>
    public IReadOnlyList<string> Tenants(bool demo) =>
        [.. subscribers.Where(s => s.Key.Demo == demo && s.Key.Tenant != Everyone && !s.Value.IsEmpty).Select(s => s.Key.Tenant).Order(StringComparer.Ordinal)];

    /// <summary>Whether anyone would receive a message of <paramref name="tenantId"/>, so a publisher can skip building it.</summary>
    public bool Wanted(bool demo, string tenantId) =>
        Volatile.Read(ref count) > 0 && (Has(demo, tenantId) || Has(demo, Everyone));

    /// <summary>Delivers one message of <paramref name="tenantId"/> to its subscribers and to every-tenant ones.</summary>
    public void Publish(bool demo, string tenantId, JsonObject message)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentNullException.ThrowIfNull(message);
        if (!Wanted(demo, tenantId))
        {
            return;
        }

        var bytes = JsonSerializer.SerializeToUtf8Bytes(message);
        foreach (var tenant in new[] { tenantId, Everyone })
        {
            if (subscribers.TryGetValue((demo, tenant), out var listeners))
            {
                foreach (var subscriber in listeners.Keys)
                {
                    if (!subscriber.Offer(bytes))
                    {
                        Remove(subscriber);
                    }
                }
            }
        }
    }

    internal void Remove(LiveSubscriber subscriber)
    {
        if (subscribers.TryGetValue((subscriber.Demo, subscriber.Tenant), out var listeners) && listeners.TryRemove(subscriber, out _))
        {
            Interlocked.Decrement(ref count);
        }
    }

    private bool Has(bool demo, string tenant) => subscribers.TryGetValue((demo, tenant), out var listeners) && !listeners.IsEmpty;
}

/// <summary>One WebSocket's place in a <see cref="LiveFeed"/>.</summary>
public sealed class LiveSubscriber : QueuedSubscriber
{
    private readonly LiveFeed feed;

    internal LiveSubscriber(LiveFeed feed, bool demo, string tenant, int capacity)
        : base(demo, capacity)
    {
        this.feed = feed;
        Tenant = tenant;
    }

    internal string Tenant { get; }

    /// <inheritdoc />
    protected override void Leave() => feed.Remove(this);
}
