using k8s.Models;
using Keelson.Delivery.Clusters;

namespace Keelson.Operations.Clusters;

/// <summary>
/// One cluster kept in memory for its <see cref="ClusterView"/>: an <see cref="Informer"/> per kind the view reads
/// (nodes, pods, namespaces, autoscalers, events) and the metrics API polled, since <c>metrics.k8s.io</c> has no watch.
/// A built view is kept per scope until any of them changes, so repeated reads of a quiet cluster cost nothing.
/// </summary>
public sealed class ClusterWatch : IAsyncDisposable
{
    private readonly IResourceMetrics? metrics;
    private readonly ClusterViewCacheOptions options;
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly TaskCompletionSource firstUsage = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<string, (long[] Generations, ClusterView View)> built = new(StringComparer.Ordinal);
    private (IReadOnlyList<NodeMetrics>? Nodes, IReadOnlyList<PodMetrics>? Pods) usage;
    private Exception? usageFailure;
    private long usageGeneration;
    private long lastUsed;
    private Task? polling;

    /// <summary>The informers and metrics poll of <paramref name="source"/>; nothing is read until <see cref="Start"/>.</summary>
    public ClusterWatch(IListWatch source, IResourceMetrics? metrics, ClusterViewCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        this.metrics = metrics;
        this.options = options;
        var informing = new InformerOptions { WatchTimeout = options.WatchTimeout, Time = options.Time };
        Nodes = new Informer(source, "v1", "Node", informing);
        Pods = new Informer(source, "v1", "Pod", informing);
        Namespaces = new Informer(source, "v1", "Namespace", informing);
        Autoscalers = new Informer(source, "autoscaling/v2", "HorizontalPodAutoscaler", informing with { MissingIsEmpty = true });
        Events = new Informer(source, "v1", "Event", informing);
        lastUsed = options.Time.GetTimestamp();
    }

    /// <summary>The nodes.</summary>
    public Informer Nodes { get; }

    /// <summary>The pods.</summary>
    public Informer Pods { get; }

    /// <summary>The namespaces (whose tenant label scopes a view).</summary>
    public Informer Namespaces { get; }

    /// <summary>The horizontal pod autoscalers.</summary>
    public Informer Autoscalers { get; }

    /// <summary>The events.</summary>
    public Informer Events { get; }

    /// <summary>How long since a view was last asked for.</summary>
    public TimeSpan Idle => options.Time.GetElapsedTime(Interlocked.Read(ref lastUsed));

    private Informer[] All => [Nodes, Pods, Namespaces, Autoscalers, Events];

    /// <summary>
    /// A number that grows whenever anything a view reads changes (an informer's object, the metrics poll), so a
    /// follower can tell a new state from the one it sent without building the view.
    /// </summary>
    public long Version => All.Sum(i => i.Generation) + Interlocked.Read(ref usageGeneration);

    /// <summary>Marks the watch as in use now.</summary>
    public void Touch() => Interlocked.Exchange(ref lastUsed, options.Time.GetTimestamp());

    /// <summary>Starts every informer and the metrics poll.</summary>
    public void Start()
    {
        foreach (var informer in All)
        {
            informer.Start();
        }

        lock (gate)
        {
            polling ??= metrics is null ? Task.CompletedTask : Task.Run(() => PollAsync(stopping.Token));
        }

        if (metrics is null)
        {
            firstUsage.TrySetResult();
        }
    }

    /// <summary>
    /// The view for every tenant (<paramref name="tenant"/> null) or one, once every informer is synced and the
    /// metrics read once; throws what the cluster answered when it cannot be read, or <see cref="TimeoutException"/>.
    /// </summary>
    public async Task<ClusterView> ViewAsync(string name, string kind, DateTimeOffset now, string? tenant, int events, CancellationToken cancellationToken)
    {
        Touch();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.SyncTimeout);
        try
        {
            await Task.WhenAll([.. All.Select(i => i.WaitSyncedAsync(deadline.Token)), firstUsage.Task.WaitAsync(deadline.Token)]).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            var failure = All.Select(i => i.LastFailure).FirstOrDefault(f => f is not null);
            throw new TimeoutException($"The cluster's {string.Join(", ", All.Where(i => !i.Synced).Select(i => i.Kind))} did not sync within {options.SyncTimeout.TotalSeconds:0} s{(failure is null ? "" : $" (last failure: {failure.GetType().Name})")}.", failure);
        }

        if (Volatile.Read(ref usageFailure) is { } broken)
        {
            throw broken;
        }

        var key = tenant ?? "";
        var generations = All.Select(i => i.Generation).Append(Interlocked.Read(ref usageGeneration)).ToArray();
        ClusterView? view = null;
        lock (gate)
        {
            if (built.TryGetValue(key, out var kept) && kept.Generations.SequenceEqual(generations))
            {
                view = kept.View;
            }
        }

        if (view is null)
        {
            var (nodeUsage, podUsage) = usage;
            var objects = new ClusterObjects(
                [.. Nodes.Snapshot().OfType<V1Node>()],
                [.. Pods.Snapshot().OfType<V1Pod>()],
                [.. Namespaces.Snapshot().OfType<V1Namespace>()],
                [.. Autoscalers.Snapshot().OfType<V2HorizontalPodAutoscaler>()],
                [.. Events.Snapshot().OfType<Corev1Event>()],
                nodeUsage,
                podUsage);
            view = ClusterViewReader.Build(name, kind, now, objects, tenant, ClusterViewReader.MaxEvents);
            lock (gate)
            {
                // Views of an older state are of no use again; a handful of scopes at most are kept.
                if (built.Values.Any(b => !b.Generations.SequenceEqual(generations)) || built.Count >= 64)
                {
                    built.Clear();
                }

                built[key] = (generations, view);
            }
        }

        return view with
        {
            ObservedAt = now,
            AutoscalerEvents = events >= view.AutoscalerEvents.Count ? view.AutoscalerEvents : [.. view.AutoscalerEvents.Take(events)],
        };
    }

    /// <summary>Stops the informers and the poll.</summary>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        foreach (var informer in All)
        {
            await informer.DisposeAsync().ConfigureAwait(false);
        }

        Task? poll;
        lock (gate)
        {
            poll = polling;
        }

        if (poll is not null)
        {
            await poll.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        firstUsage.TrySetCanceled();
        stopping.Dispose();
    }

    // The metrics API has no watch: read it every interval while the view is in use, as metrics-server itself scrapes.
    private async Task PollAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var nodes = metrics!.NodeMetricsAsync(stop);
                var pods = metrics.PodMetricsAsync(null, stop);
                await Task.WhenAll(nodes, pods).ConfigureAwait(false);
                lock (gate)
                {
                    usage = (nodes.Result, pods.Result);
                }

                Volatile.Write(ref usageFailure, null);
                Interlocked.Increment(ref usageGeneration);
                firstUsage.TrySetResult();
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                // Served as the read's failure, as a direct read would have failed, until a poll succeeds again.
                Volatile.Write(ref usageFailure, e);
                firstUsage.TrySetResult();
            }

            await Task.Delay(options.MetricsInterval, options.Time, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
