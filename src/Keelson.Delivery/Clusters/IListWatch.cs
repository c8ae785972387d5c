using k8s;
using k8s.Models;

namespace Keelson.Delivery.Clusters;

/// <summary>
/// A cluster's list-then-watch protocol, as client-go's reflector uses it: a list that carries the collection's
/// resourceVersion, and a watch that starts from one. A seam beside <see cref="ICluster"/> so an <see cref="Informer"/>
/// can run against a real cluster, the sandbox's API facade, or a scripted source in tests.
/// </summary>
public interface IListWatch
{
    /// <summary>Every object of one kind in every namespace, and the resourceVersion the list was read at.</summary>
    Task<VersionedList> ListVersionedAsync(string apiVersion, string kind, CancellationToken cancellationToken);

    /// <summary>
    /// Changes to objects of one kind after <paramref name="resourceVersion"/>, until the server ends the stream
    /// (after about <paramref name="timeout"/>) or <paramref name="cancellationToken"/> is cancelled. A version the
    /// server no longer keeps throws <see cref="Kubernetes.ClusterException"/> with code 410 (Expired): list again.
    /// </summary>
    IAsyncEnumerable<ClusterEvent> WatchFromAsync(string apiVersion, string kind, string resourceVersion, TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>The objects of a list and the collection's resourceVersion to watch from.</summary>
/// <param name="Items">The objects, each with its apiVersion and kind set.</param>
/// <param name="ResourceVersion">The list's <c>metadata.resourceVersion</c>.</param>
public sealed record VersionedList(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Items, string ResourceVersion);
