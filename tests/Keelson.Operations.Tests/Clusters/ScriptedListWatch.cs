using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Delivery.Kubernetes;

namespace Keelson.Operations.Tests.Clusters;

/// <summary>
/// A scripted cluster behind <see cref="IListWatch"/> (the seam's own purpose): objects kept in memory with a
/// resourceVersion per change, lists counted per kind, watches fed from the change history, and a watch that can be
/// made to end with 410 Expired, which neither the in-process sandbox nor a real API server does on request.
/// The cluster writes of <see cref="ICluster"/> are not used by the cluster view and are not supported.
/// </summary>
internal sealed class ScriptedListWatch : ICluster, IListWatch
{
    private readonly Lock gate = new();
    private readonly Dictionary<(string Kind, string Namespace, string Name), IKubernetesObject<V1ObjectMeta>> objects = [];
    private readonly List<(long Version, string Kind, ClusterEvent Change)> history = [];
    private readonly List<(string Kind, Channel<ClusterEvent> Feed)> watches = [];
    private readonly ConcurrentDictionary<string, int> lists = new(StringComparer.Ordinal);
    private long version = 1;

    public string Description => "a scripted cluster";

    public TimeProvider Time => TimeProvider.System;

    /// <summary>How many times <paramref name="kind"/> was listed.</summary>
    public int Lists(string kind) => lists.GetValueOrDefault(kind);

    /// <summary>How many watches are open on <paramref name="kind"/>.</summary>
    public int Watching(string kind)
    {
        lock (gate)
        {
            return watches.Count(w => w.Kind == kind);
        }
    }

    /// <summary>Creates or replaces an object; open watches of its kind hear of it unless <paramref name="silently"/>.</summary>
    public void Put(IKubernetesObject<V1ObjectMeta> resource, bool silently = false) => Change(WatchEventType.Modified, resource, silently);

    /// <summary>Deletes an object; open watches of its kind hear of it.</summary>
    public void Delete(IKubernetesObject<V1ObjectMeta> resource) => Change(WatchEventType.Deleted, resource, silently: false);

    /// <summary>Ends every open watch of <paramref name="kind"/> with 410 Expired, as an API server whose watch cache moved on does.</summary>
    public void Expire(string kind)
    {
        lock (gate)
        {
            foreach (var (_, feed) in watches.Where(w => w.Kind == kind))
            {
                feed.Writer.TryComplete(new ClusterException(410, "Expired", "too old resource version"));
            }
        }
    }

    public Task<VersionedList> ListVersionedAsync(string apiVersion, string kind, CancellationToken cancellationToken)
    {
        lists.AddOrUpdate(kind, 1, (_, n) => n + 1);
        lock (gate)
        {
            IReadOnlyList<IKubernetesObject<V1ObjectMeta>> items = [.. objects.Where(o => o.Key.Kind == kind).Select(o => o.Value)];
            return Task.FromResult(new VersionedList(items, version.ToString(CultureInfo.InvariantCulture)));
        }
    }

    public async IAsyncEnumerable<ClusterEvent> WatchFromAsync(string apiVersion, string kind, string resourceVersion, TimeSpan timeout, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var from = long.Parse(resourceVersion, CultureInfo.InvariantCulture);
        var feed = Channel.CreateUnbounded<ClusterEvent>();
        lock (gate)
        {
            // The changes after the version asked for, then every later one: none lost between a list and its watch.
            foreach (var (_, _, change) in history.Where(h => h.Kind == kind && h.Version > from))
            {
                feed.Writer.TryWrite(change);
            }

            watches.Add((kind, feed));
        }

        try
        {
            await foreach (var change in feed.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return change;
            }
        }
        finally
        {
            lock (gate)
            {
                watches.Remove((kind, feed));
            }
        }
    }

    public Task<IKubernetesObject<V1ObjectMeta>> ApplyAsync(IKubernetesObject<V1ObjectMeta> resource, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(ObjectKey key, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>> ListAsync(string apiVersion, string kind, string? ns, string? labelSelector, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<bool> DeleteAsync(ObjectKey key, CancellationToken cancellationToken) => throw new NotSupportedException();

    public IAsyncEnumerable<ClusterEvent> WatchAsync(string apiVersion, string kind, string? ns, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task WaitAsync(TimeSpan duration, CancellationToken cancellationToken) => Task.Delay(duration, cancellationToken);

    private void Change(WatchEventType type, IKubernetesObject<V1ObjectMeta> resource, bool silently)
    {
        lock (gate)
        {
            version++;
            resource.Metadata.ResourceVersion = version.ToString(CultureInfo.InvariantCulture);
            var key = (resource.Kind, resource.Metadata.NamespaceProperty ?? "", resource.Metadata.Name);
            if (type == WatchEventType.Deleted)
            {
                objects.Remove(key);
            }
            else
            {
                objects[key] = resource;
            }

            if (silently)
            {
                return;
            }

            var change = new ClusterEvent(type, resource);
            history.Add((version, resource.Kind, change));
            foreach (var (_, feed) in watches.Where(w => w.Kind == resource.Kind))
            {
                feed.Writer.TryWrite(change);
            }
        }
    }
}
