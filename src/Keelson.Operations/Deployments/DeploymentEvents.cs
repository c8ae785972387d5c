using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Keelson.Operations.Deployments;

/// <summary>A progress line of a running deployment: a step starting or ending, or an object applied, waited for or pruned.</summary>
/// <param name="DeploymentId">The deployment.</param>
/// <param name="At">Wall time.</param>
/// <param name="Step">The step it belongs to.</param>
/// <param name="Resource">The object (<c>Kind/namespace/name</c>), when it is about one.</param>
/// <param name="Message">What happened, without secrets.</param>
public sealed record DeploymentEvent(string DeploymentId, DateTimeOffset At, DeploymentStepName Step, string? Resource, string Message);

/// <summary>
/// Progress lines of running deployments, for live streams. In one process they are handed over in memory; with
/// Redis (<see cref="DeploymentEvents(ISubscriber, ILogger{DeploymentEvents})"/>) they go through its pub/sub, so a
/// stream served by one replica sees the lines of a deployment another replica runs. While Redis is unreachable,
/// lines reach this process's own subscribers only; steps are in the store either way.
/// </summary>
public sealed partial class DeploymentEvents
{
    private const string ChannelPrefix = "keelson:deployment-events:";
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<Action<DeploymentEvent>>> handlers = new(StringComparer.Ordinal);
    private readonly ISubscriber? relay;
    private readonly ILogger<DeploymentEvents> logger;

    /// <summary>Lines handed over in this process only.</summary>
    public DeploymentEvents()
        : this(null, null)
    {
    }

    /// <summary>Lines relayed through Redis pub/sub to every replica connected to it.</summary>
    public DeploymentEvents(ISubscriber? relay, ILogger<DeploymentEvents>? logger)
    {
        this.relay = relay;
        this.logger = logger ?? NullLogger<DeploymentEvents>.Instance;
    }

    /// <summary>Calls <paramref name="handler"/> with each event of <paramref name="deploymentId"/> until the result is disposed.</summary>
    public IDisposable Subscribe(string deploymentId, Action<DeploymentEvent> handler)
    {
        lock (gate)
        {
            if (!handlers.TryGetValue(deploymentId, out var list))
            {
                handlers[deploymentId] = list = [];
            }

            list.Add(handler);
        }

        // A message queue, not a handler: StackExchange.Redis runs plain handlers concurrently, and lines must keep their order.
        ChannelMessageQueue? relayed = null;
        if (relay is not null && relay.Multiplexer.IsConnected)
        {
            try
            {
                relayed = relay.Subscribe(Channel(deploymentId));
                relayed.OnMessage(message =>
                {
                    if (JsonSerializer.Deserialize<DeploymentEvent>(message.Message.ToString()) is { } line)
                    {
                        handler(line);
                    }
                });
            }
            catch (RedisException e)
            {
                LogRelayFailed(e, "subscribe");
                relayed = null;
            }
        }

        return new Subscription(() =>
        {
            lock (gate)
            {
                if (handlers.TryGetValue(deploymentId, out var list) && list.Remove(handler) && list.Count == 0)
                {
                    handlers.Remove(deploymentId);
                }
            }

            if (relayed is not null)
            {
                try
                {
                    relayed.Unsubscribe(CommandFlags.FireAndForget);
                }
                catch (RedisException e)
                {
                    LogRelayFailed(e, "unsubscribe");
                }
                catch (ObjectDisposedException)
                {
                    // The connection was closed first (the host stopping): the subscription went with it.
                }
            }
        });
    }

    /// <summary>Hands <paramref name="deploymentEvent"/> to the deployment's subscribers, on every replica when Redis relays.</summary>
    public void Publish(DeploymentEvent deploymentEvent)
    {
        ArgumentNullException.ThrowIfNull(deploymentEvent);
        if (relay is not null && relay.Multiplexer.IsConnected)
        {
            try
            {
                // Subscribers here get it back through Redis too, so it is not also handed over in memory.
                relay.Publish(Channel(deploymentEvent.DeploymentId), JsonSerializer.Serialize(deploymentEvent), CommandFlags.FireAndForget);
                return;
            }
            catch (RedisException e)
            {
                LogRelayFailed(e, "publish");
            }
        }

        Action<DeploymentEvent>[] current;
        lock (gate)
        {
            current = handlers.TryGetValue(deploymentEvent.DeploymentId, out var list) ? [.. list] : [];
        }

        foreach (var handler in current)
        {
            handler(deploymentEvent);
        }
    }

    private static RedisChannel Channel(string deploymentId) => RedisChannel.Literal(ChannelPrefix + deploymentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis unavailable to {Operation} deployment progress; lines stay on this replica")]
    private partial void LogRelayFailed(Exception exception, string operation);

    private sealed class Subscription(Action dispose) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                dispose();
            }
        }
    }
}
