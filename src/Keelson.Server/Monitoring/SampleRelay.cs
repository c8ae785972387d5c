using System.Text.Json;
using Keelson.Operations.Monitoring;
using StackExchange.Redis;

namespace Keelson.Server.Monitoring;

/// <summary>
/// Carries stored batches between replicas through Redis pub/sub, so a WebSocket served by one replica sees samples
/// another replica stored. Each replica hands its own batches over in memory and ignores its own echo. While Redis is
/// unreachable, batches stay on the replica that stored them.
/// </summary>
public sealed partial class SampleRelay : IDisposable
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("keelson:monitoring:samples");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ISubscriber subscriber;
    private readonly ILogger logger;
    private readonly string origin = Guid.NewGuid().ToString("N");
    private ChannelMessageQueue? queue;

    /// <summary>Starts listening; <paramref name="received"/> gets each other replica's batch, in order.</summary>
    public SampleRelay(ISubscriber subscriber, Action<bool, IReadOnlyList<MetricSample>> received, ILogger<SampleRelay> logger)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(received);
        this.subscriber = subscriber;
        this.logger = logger;
        try
        {
            // A message queue rather than a plain handler: StackExchange.Redis runs handlers concurrently, and batches must keep their order.
            queue = subscriber.Subscribe(Channel);
            queue.OnMessage(message =>
            {
                var batch = JsonSerializer.Deserialize<RelayedBatch>((string)message.Message!, Json);
                if (batch is not null && batch.Origin != origin)
                {
                    received(batch.Demo, batch.Samples);
                }
            });
        }
        catch (RedisException e)
        {
            LogUnavailable(logger, e, "subscribe to");
        }
    }

    /// <summary>Sends a stored batch to the other replicas.</summary>
    public void Publish(bool demo, IReadOnlyList<MetricSample> batch)
    {
        try
        {
            subscriber.Publish(Channel, JsonSerializer.Serialize(new RelayedBatch(origin, demo, batch), Json), CommandFlags.FireAndForget);
        }
        catch (RedisException e)
        {
            LogUnavailable(logger, e, "publish");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            queue?.Unsubscribe();
        }
        catch (Exception e) when (e is RedisException or ObjectDisposedException)
        {
            // Unsubscribing from a lost connection, or one the host already closed while stopping its services
            // concurrently: the subscription went with it, nothing is left to release.
        }

        queue = null;
    }

    private sealed record RelayedBatch(string Origin, bool Demo, IReadOnlyList<MetricSample> Samples);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable to {Operation} metric samples; they stay on this replica")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string operation);
}
