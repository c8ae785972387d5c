using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Keelson.Operations.Monitoring;

namespace Keelson.Server.Monitoring;

/// <summary>
/// Hands stored samples to WebSocket subscribers. Each subscriber has a bounded queue; one that falls behind is
/// dropped (its queue completed with <see cref="Subscription.Dropped"/> set) so a slow reader never holds memory or the writer.
/// </summary>
public sealed class MonitoringHub
{
    private readonly ConcurrentDictionary<Subscription, bool> subscriptions = new();

    /// <summary>Live subscriptions.</summary>
    public int Count => subscriptions.Count;

    /// <summary>Starts delivering <paramref name="tenantId"/>'s samples of one mode; every metric until <see cref="Subscription.Select"/> narrows it.</summary>
    public Subscription Subscribe(bool demo, string tenantId, int capacity)
    {
        var subscription = new Subscription(this, demo, tenantId, capacity);
        subscriptions[subscription] = true;
        return subscription;
    }

    /// <summary>Delivers a stored batch: one message per tenant and timestamp, to each subscriber of that tenant.</summary>
    public void Publish(bool demo, IReadOnlyList<MetricSample> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (subscriptions.IsEmpty)
        {
            return;
        }

        foreach (var group in batch.GroupBy(s => (s.TenantId, s.Timestamp)))
        {
            foreach (var subscription in subscriptions.Keys.Where(s => s.Demo == demo && s.TenantId == group.Key.TenantId))
            {
                var chosen = group.Where(subscription.Wants).ToList();
                if (chosen.Count > 0 && !subscription.Offer(Message(group.Key.TenantId, group.Key.Timestamp, chosen)))
                {
                    Remove(subscription);
                }
            }
        }
    }

    /// <summary>
    /// The message for one push: <c>metrics</c> by name, and each metric type at the top level with its value
    /// (the seed's client reads <c>data['cpu']</c> after pushing <c>cpu_usage</c>).
    /// </summary>
    public static JsonObject Message(string tenantId, DateTimeOffset timestamp, IReadOnlyList<MetricSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var metrics = new JsonObject();
        var message = new JsonObject { ["type"] = "metrics", ["tenant_id"] = tenantId, ["timestamp"] = timestamp.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var sample in samples)
        {
            metrics[sample.MetricName] = sample.Value;
            if (sample.MetricType is not ("type" or "tenant_id" or "timestamp" or "metrics"))
            {
                message[sample.MetricType] = sample.Value;
            }
        }

        message["metrics"] = metrics;
        return message;
    }

    internal void Remove(Subscription subscription) => subscriptions.TryRemove(subscription, out _);
}

/// <summary>One WebSocket's interest: a tenant, a mode, and the metric types or names it asked for (none = all).</summary>
public sealed class Subscription : IDisposable
{
    private readonly MonitoringHub hub;
    private readonly Channel<JsonObject> queue;
    private volatile IReadOnlySet<string> metrics = new HashSet<string>();
    private volatile bool active = true;

    internal Subscription(MonitoringHub hub, bool demo, string tenantId, int capacity)
    {
        this.hub = hub;
        Demo = demo;
        TenantId = tenantId;
        queue = Channel.CreateBounded<JsonObject>(new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    /// <summary>Demo or production.</summary>
    public bool Demo { get; }

    /// <summary>The tenant.</summary>
    public string TenantId { get; }

    /// <summary>True once the subscriber fell behind and was dropped.</summary>
    public bool Dropped { get; private set; }

    /// <summary>The messages to send.</summary>
    public ChannelReader<JsonObject> Messages => queue.Reader;

    /// <summary>Receive only these metric types or names (empty: all); <paramref name="active"/> false pauses delivery (unsubscribe).</summary>
    public void Select(IReadOnlyCollection<string> wanted, bool active)
    {
        metrics = new HashSet<string>(wanted, StringComparer.Ordinal);
        this.active = active;
    }

    internal bool Wants(MetricSample sample)
    {
        var chosen = metrics;
        return active && (chosen.Count == 0 || chosen.Contains(sample.MetricType) || chosen.Contains(sample.MetricName));
    }

    internal bool Offer(JsonObject message)
    {
        if (queue.Writer.TryWrite(message))
        {
            return true;
        }

        Dropped = true;
        queue.Writer.TryComplete();
        return false;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        hub.Remove(this);
        queue.Writer.TryComplete();
    }
}
