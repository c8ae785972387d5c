using System.Text.Json;
using StackExchange.Redis;

namespace Keelson.Server.Streams;

/// <summary>
/// Carries messages of one kind between replicas through a Redis pub/sub channel, so a WebSocket served by one replica
/// hears what another produced. Each replica hands its own messages over in memory and ignores its own echo; the others'
/// arrive in the order each published them. While Redis is unreachable, messages stay on the replica that made them.
/// </summary>
/// <typeparam name="T">The message, serialised as JSON.</typeparam>
public sealed class ReplicaRelay<T> : IDisposable
    where T : class
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly RedisChannel channel;
    private readonly string what;
    private readonly ISubscriber subscriber;
    private readonly ILogger logger;
    private readonly string origin = Guid.NewGuid().ToString("N");
    private ChannelMessageQueue? queue;

    /// <summary>
    /// Starts listening on <paramref name="channel"/>; <paramref name="received"/> gets each other replica's message, one
    /// at a time and in order. <paramref name="what"/> names the messages in log lines ("metric samples").
    /// </summary>
    public ReplicaRelay(ISubscriber subscriber, string channel, string what, Action<T> received, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(received);
        ArgumentNullException.ThrowIfNull(logger);
        this.channel = RedisChannel.Literal(channel);
        this.what = what;
        this.subscriber = subscriber;
        this.logger = logger;
        try
        {
            // A message queue rather than a plain handler: StackExchange.Redis runs handlers concurrently, and messages must keep their order.
            queue = subscriber.Subscribe(this.channel);
            queue.OnMessage(message =>
            {
                Relayed? relayed;
                try
                {
                    relayed = JsonSerializer.Deserialize<Relayed>((string)message.Message!, Json);
                }
                catch (JsonException e)
                {
                    // A replica of another version sharing the channel: its message is skipped, the stream goes on.
                    RelayLog.Unreadable(logger, e, what, channel);
                    return;
                }

                if (relayed is { Message: { } payload } && relayed.Origin != origin)
                {
                    received(payload);
                }
            });
        }
        catch (RedisException e)
        {
            RelayLog.Unavailable(logger, e, "subscribe to", what);
        }
    }

    /// <summary>Sends <paramref name="message"/> to the other replicas (this one has it already).</summary>
    public void Publish(T message)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            subscriber.Publish(channel, JsonSerializer.Serialize(new Relayed(origin, message), Json), CommandFlags.FireAndForget);
        }
        catch (RedisException e)
        {
            RelayLog.Unavailable(logger, e, "publish", what);
        }
        catch (ObjectDisposedException)
        {
            // The host closed the connection while stopping, before the last producer stopped: nobody is left to hear it.
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

    private sealed record Relayed(string Origin, T? Message);
}

/// <summary>The log lines of <see cref="ReplicaRelay{T}"/>, one generated set for every message type.</summary>
internal static partial class RelayLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable to {Operation} {Messages}; they stay on this replica")]
    public static partial void Unavailable(ILogger logger, Exception exception, string operation, string messages);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped a relayed message of {Messages} on {Channel} that this replica cannot read")]
    public static partial void Unreadable(ILogger logger, Exception exception, string messages, string channel);
}
