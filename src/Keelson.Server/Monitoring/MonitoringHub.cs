using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Operations.Monitoring;

namespace Keelson.Server.Monitoring;

/// <summary>
/// Hands stored samples to WebSocket subscribers. Each subscriber has a bounded queue; one that falls behind is
/// dropped (its queue completed with <see cref="Streams.QueuedSubscriber.Dropped"/> set) so a slow reader never holds memory or the writer.
/// </summary>
/// <remarks>
/// Subscribers are indexed by mode and tenant, so a batch touches only its tenants' subscribers, and a message is
/// serialised once for every subscriber that chose the same samples: a thousand dashboards on one tenant cost one
/// encoding per push, not a thousand.
/// </remarks>
public sealed class MonitoringHub
{
    private readonly ConcurrentDictionary<(bool Demo, string TenantId), ConcurrentDictionary<Subscription, bool>> subscriptions = new();
    private int count;

    /// <summary>Live subscriptions.</summary>
    public int Count => Volatile.Read(ref count);

    /// <summary>Starts delivering <paramref name="tenantId"/>'s samples of one mode; every metric until <see cref="Subscription.Select"/> narrows it.</summary>
    public Subscription Subscribe(bool demo, string tenantId, int capacity)
    {
        var subscription = new Subscription(this, demo, tenantId, capacity);
        subscriptions.GetOrAdd((demo, tenantId), _ => new()).TryAdd(subscription, true);
        Interlocked.Increment(ref count);
        return subscription;
    }

    /// <summary>Delivers a stored batch: one message per tenant and timestamp, to each subscriber of that tenant.</summary>
    public void Publish(bool demo, IReadOnlyList<MetricSample> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (Volatile.Read(ref count) == 0)
        {
            return;
        }

        foreach (var group in batch.GroupBy(s => (s.TenantId, s.Timestamp)))
        {
            if (!subscriptions.TryGetValue((demo, group.Key.TenantId), out var listeners) || listeners.IsEmpty)
            {
                continue;
            }

            var samples = group.ToList();
            var encoded = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var subscription in listeners.Keys)
            {
                // The chosen samples' positions name the message, so subscribers that chose alike share its bytes.
                var chosen = new List<MetricSample>(samples.Count);
                var key = new System.Text.StringBuilder(samples.Count);
                for (var i = 0; i < samples.Count; i++)
                {
                    var wanted = subscription.Wants(samples[i]);
                    key.Append(wanted ? '1' : '0');
                    if (wanted)
                    {
                        chosen.Add(samples[i]);
                    }
                }

                if (chosen.Count == 0)
                {
                    continue;
                }

                var name = key.ToString();
                if (!encoded.TryGetValue(name, out var message))
                {
                    message = JsonSerializer.SerializeToUtf8Bytes(Message(group.Key.TenantId, group.Key.Timestamp, chosen));
                    encoded[name] = message;
                }

                if (!subscription.Offer(message))
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

    internal void Remove(Subscription subscription)
    {
        if (subscriptions.TryGetValue((subscription.Demo, subscription.TenantId), out var listeners) && listeners.TryRemove(subscription, out _))
        {
            Interlocked.Decrement(ref count);
        }
    }
}

/// <summary>One WebSocket's interest: a tenant, a mode, and the metric types or names it asked for (none = all).</summary>
public sealed class Subscription : Streams.QueuedSubscriber
{
    private readonly MonitoringHub hub;
    private volatile IReadOnlySet<string> metrics = new HashSet<string>();
    private volatile bool active = true;

    internal Subscription(MonitoringHub hub, bool demo, string tenantId, int capacity)
        : base(demo, capacity)
    {
        this.hub = hub;
        TenantId = tenantId;
    }

    /// <summary>The tenant.</summary>
    public string TenantId { get; }

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

    /// <inheritdoc />
    protected override void Leave() => hub.Remove(this);
}
