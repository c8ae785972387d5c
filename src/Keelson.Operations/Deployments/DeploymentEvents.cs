namespace Keelson.Operations.Deployments;

/// <summary>A progress line of a running deployment: a step starting or ending, or an object applied, waited for or pruned.</summary>
/// <param name="DeploymentId">The deployment.</param>
/// <param name="At">Wall time.</param>
/// <param name="Step">The step it belongs to.</param>
/// <param name="Resource">The object (<c>Kind/namespace/name</c>), when it is about one.</param>
/// <param name="Message">What happened, without secrets.</param>
public sealed record DeploymentEvent(string DeploymentId, DateTimeOffset At, DeploymentStepName Step, string? Resource, string Message);

/// <summary>
/// Progress of the deployments this process runs, for live streams. Steps are in the store too, so a stream of a
/// deployment running on another replica still sees them; object-level lines exist only on the replica running it.
/// </summary>
public sealed class DeploymentEvents
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, List<Action<DeploymentEvent>>> handlers = new(StringComparer.Ordinal);

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

        return new Subscription(() =>
        {
            lock (gate)
            {
                if (handlers.TryGetValue(deploymentId, out var list) && list.Remove(handler) && list.Count == 0)
                {
                    handlers.Remove(deploymentId);
                }
            }
        });
    }

    /// <summary>Hands <paramref name="deploymentEvent"/> to the deployment's subscribers.</summary>
    public void Publish(DeploymentEvent deploymentEvent)
    {
        ArgumentNullException.ThrowIfNull(deploymentEvent);
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
