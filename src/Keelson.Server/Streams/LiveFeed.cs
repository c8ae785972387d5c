using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using StackExchange.Redis;

namespace Keelson.Server.Streams;

/// <summary>
/// Hands per-tenant messages to WebSocket subscribers of one mode: a subscriber of a tenant gets that tenant's, a
/// subscriber of every tenant (an admin key) gets all. A message is serialised once for all its subscribers; each
/// subscriber has a bounded queue and one that falls behind is dropped (<see cref="QueuedSubscriber.Dropped"/>), so a
/// slow reader never holds memory or the publisher. A feed relayed (<see cref="RelayThrough"/>) also hands its messages
/// to the same feed of every other replica, and theirs to its subscribers.
/// </summary>
public sealed class LiveFeed
{
    private const string Everyone = "";
    private readonly ConcurrentDictionary<(bool Demo, string Tenant), ConcurrentDictionary<LiveSubscriber, bool>> subscribers = new();
    private ReplicaRelay<RelayedMessage>? relay;
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

    /// <summary>
    /// Whether anyone would receive a message of <paramref name="tenantId"/>, so a publisher can skip building it; always
    /// once relayed, as this replica does not know who follows the tenant on the others.
    /// </summary>
    public bool Wanted(bool demo, string tenantId) => Volatile.Read(ref relay) is not null || WantedHere(demo, tenantId);

    /// <summary>
    /// Relays this feed through <paramref name="subscriber"/>'s Redis on <paramref name="channel"/>, which the same feed
    /// of every replica uses; disposing the result stops it. For a feed whose messages only one replica produces (a
    /// rule's lease holder, an outbox row's claimer): a feed every replica fills itself would deliver each message twice.
    /// </summary>
    public IDisposable RelayThrough(ISubscriber subscriber, string channel, string what, ILogger logger)
    {
        var relayed = new ReplicaRelay<RelayedMessage>(subscriber, channel, what, m => Deliver(m.Demo, m.TenantId, m.Message), logger);
        if (Interlocked.CompareExchange(ref relay, relayed, null) is not null)
        {
            relayed.Dispose();
            throw new InvalidOperationException("This feed is relayed already.");
        }

        return relayed;
    }

    /// <summary>Delivers one message of <paramref name="tenantId"/> to its subscribers and to every-tenant ones, on every replica when relayed.</summary>
    public void Publish(bool demo, string tenantId, JsonObject message)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentNullException.ThrowIfNull(message);
        Volatile.Read(ref relay)?.Publish(new RelayedMessage(demo, tenantId, message));
        Deliver(demo, tenantId, message);
    }

    internal void Remove(LiveSubscriber subscriber)
    {
        if (subscribers.TryGetValue((subscriber.Demo, subscriber.Tenant), out var listeners) && listeners.TryRemove(subscriber, out _))
        {
            Interlocked.Decrement(ref count);
        }
    }

    // To this replica's subscribers only: a message published here or relayed from another replica.
    private void Deliver(bool demo, string tenantId, JsonObject message)
    {
        if (!WantedHere(demo, tenantId))
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

    private bool WantedHere(bool demo, string tenantId) =>
        Volatile.Read(ref count) > 0 && (Has(demo, tenantId) || Has(demo, Everyone));

    private bool Has(bool demo, string tenant) => subscribers.TryGetValue((demo, tenant), out var listeners) && !listeners.IsEmpty;

    // What the relay carries: the message exactly as the socket sends it, so nothing crosses that a subscriber could not read.
    private sealed record RelayedMessage(bool Demo, string TenantId, JsonObject Message);
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
