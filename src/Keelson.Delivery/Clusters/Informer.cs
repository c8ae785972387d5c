using k8s;
using k8s.Models;
using Keelson.Delivery.Kubernetes;

namespace Keelson.Delivery.Clusters;

/// <summary>
/// One kind of a cluster kept in memory, as client-go's informers keep it: list once, then watch from the list's
/// resourceVersion and apply each ADDED, MODIFIED and DELETED; when the watch ends normally, watch again from the last
/// version seen; when the server no longer has that version (410 Expired) or the watch breaks, list again. Between a
/// broken watch and the next successful list the informer is not synced, and <see cref="WaitSyncedAsync"/> waits: a
/// reader never gets objects older than what the watch has delivered.
/// </summary>
public sealed class Informer : IAsyncDisposable
{
    private readonly IListWatch source;
    private readonly InformerOptions options;
    private readonly Lock gate = new();
    private readonly Dictionary<(string Namespace, string Name), IKubernetesObject<V1ObjectMeta>> objects = [];
    private readonly CancellationTokenSource stopping = new();
    private TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlyList<IKubernetesObject<V1ObjectMeta>>? snapshot;
    private Task? running;
    private long generation;

    /// <summary>An informer of <paramref name="kind"/> in <paramref name="apiVersion"/>; nothing is read until <see cref="Start"/>.</summary>
    public Informer(IListWatch source, string apiVersion, string kind, InformerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        this.source = source;
        ApiVersion = apiVersion;
        Kind = kind;
        this.options = options ?? new InformerOptions();
    }

    /// <summary>The apiVersion it follows.</summary>
    public string ApiVersion { get; }

    /// <summary>The kind it follows.</summary>
    public string Kind { get; }

    /// <summary>Bumped by every list and every applied change, so a reader can tell whether anything moved.</summary>
    public long Generation => Interlocked.Read(ref generation);

    /// <summary>The resourceVersion of the last list or change applied; empty before the first list.</summary>
    public string ResourceVersion { get; private set; } = "";

    /// <summary>How many times it has listed (the first list and every relist).</summary>
    public int Lists { get; private set; }

    /// <summary>The last list or watch failure, or null.</summary>
    public Exception? LastFailure { get; private set; }

    /// <summary>Whether it has listed and its watch has not broken since.</summary>
    public bool Synced
    {
        get
        {
            lock (gate)
            {
                return ready.Task.IsCompletedSuccessfully;
            }
        }
    }

    /// <summary>Starts listing and watching in the background; a second call does nothing.</summary>
    public void Start()
    {
        lock (gate)
        {
            running ??= Task.Run(() => RunAsync(stopping.Token));
        }
    }

    /// <summary>
    /// Returns when the informer is synced. If a list fails while waiting, that failure is thrown (the next attempt
    /// follows after a back-off), so a caller reports an unreachable cluster rather than hanging.
    /// </summary>
    public Task WaitSyncedAsync(CancellationToken cancellationToken)
    {
        Task task;
        lock (gate)
        {
            task = ready.Task;
        }

        return task.WaitAsync(cancellationToken);
    }

    /// <summary>Every object now, as the last change applied left them (shared: callers must not change them).</summary>
    public IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Snapshot()
    {
        lock (gate)
        {
            return snapshot ??= [.. objects.Values];
        }
    }

    /// <summary>Stops the watch; the objects stay readable but are no longer kept current.</summary>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        Task? task;
        lock (gate)
        {
            task = running;
        }

        if (task is not null)
        {
            await task.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        lock (gate)
        {
            ready.TrySetException(new ObjectDisposedException(nameof(Informer), $"The informer of {Kind} was stopped."));
            _ = ready.Task.Exception;
        }

        stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var backoff = options.InitialBackoff;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var list = await source.ListVersionedAsync(ApiVersion, Kind, stop).ConfigureAwait(false);
                Replace(list);
                backoff = options.InitialBackoff;
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                if (options.MissingIsEmpty && e is ClusterException { Code: 404 })
                {
                    // A kind the cluster does not serve (an autoscaling/v2 older than 1.23): nothing to watch, and none of it.
                    Replace(new VersionedList([], ""));
                    return;
                }

                Fail(e);
                await Task.Delay(backoff, options.Time, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxBackoff.Ticks));
                continue;
            }

            await WatchAsync(stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // Watches from the last version until the server forgets it or the watch breaks; then the caller lists again.
    private async Task WatchAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await foreach (var change in source.WatchFromAsync(ApiVersion, Kind, ResourceVersion, options.WatchTimeout, stop).ConfigureAwait(false))
                {
                    Apply(change);
                }

                // The server ended the stream (its timeout): watch again from the last version seen, as the reflector does.
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                Unsync(e);
                if (e is not ClusterException { Code: 410 })
                {
                    // A broken connection: give the cluster a moment before listing again.
                    await Task.Delay(options.InitialBackoff, options.Time, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                return;
            }
        }
    }

    private void Replace(VersionedList list)
    {
        lock (gate)
        {
            objects.Clear();
            foreach (var item in list.Items)
            {
                objects[Key(item)] = item;
            }

            snapshot = null;
            ResourceVersion = list.ResourceVersion;
            Lists++;
            Interlocked.Increment(ref generation);
            LastFailure = null;
            ready.TrySetResult();
        }
    }

    private void Apply(ClusterEvent change)
    {
        lock (gate)
        {
            if (change.Resource.Metadata?.ResourceVersion is { Length: > 0 } version)
            {
                ResourceVersion = version;
            }

            switch (change.Type)
            {
                case WatchEventType.Added or WatchEventType.Modified:
                    objects[Key(change.Resource)] = change.Resource;
                    break;
                case WatchEventType.Deleted:
                    objects.Remove(Key(change.Resource));
                    break;
                default:
                    // A bookmark moves the version on and changes no object.
                    return;
            }

            snapshot = null;
            Interlocked.Increment(ref generation);
        }
    }

    // The watch broke: readers wait for the next list rather than read what may already be out of date.
    private void Unsync(Exception failure)
    {
        lock (gate)
        {
            LastFailure = failure;
            if (ready.Task.IsCompleted)
            {
                ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    // A list failed: whoever waits now hears why; later readers wait for the next attempt.
    private void Fail(Exception failure)
    {
        lock (gate)
        {
            LastFailure = failure;
            var failed = ready;
            ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            failed.TrySetException(failure);

            // Observed here, so a failure nobody waited for is not reported as unobserved.
            _ = failed.Task.Exception;
        }
    }

    private static (string, string) Key(IKubernetesObject<V1ObjectMeta> resource) => (resource.Metadata?.NamespaceProperty ?? "", resource.Metadata?.Name ?? "");
}

/// <summary>How an <see cref="Informer"/> watches and retries.</summary>
public sealed record InformerOptions
{
    /// <summary>How long one watch request may stay open before the server ends it and the informer watches again.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The first wait after a failed list; doubled per failure up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two failed lists.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether a 404 for the kind (the cluster does not serve it) means none of it rather than a failure.</summary>
    public bool MissingIsEmpty { get; init; }

    /// <summary>The clock the back-offs wait on.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
