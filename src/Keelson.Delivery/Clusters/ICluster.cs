using k8s;
using k8s.Models;

namespace Keelson.Delivery.Clusters;

/// <summary>
/// A Kubernetes cluster as delivery sees it: the sandbox and a real cluster implement it alike, so every delivery
/// step (ordered apply, wait, prune, diff, rollback) is the same code for both.
/// </summary>
public interface ICluster
{
    /// <summary>A short description for messages: <c>sandbox (aws-gpu)</c>, <c>context prod-eu</c>.</summary>
    string Description { get; }

    /// <summary>The cluster's clock: the sandbox's is virtual.</summary>
    TimeProvider Time { get; }

    /// <summary>
    /// Server-side apply with field manager <see cref="FieldManager"/>: creates the object or updates the fields this
    /// manager owns, leaving status and other managers' fields alone. Returns the object as stored.
    /// </summary>
    Task<IKubernetesObject<V1ObjectMeta>> ApplyAsync(IKubernetesObject<V1ObjectMeta> resource, CancellationToken cancellationToken);

    /// <summary>The object, or null when it does not exist.</summary>
    Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(ObjectKey key, CancellationToken cancellationToken);

    /// <summary>Objects of one kind, in one namespace or all (null), optionally filtered by a label selector (<c>a=b,c!=d,e</c>).</summary>
    Task<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>> ListAsync(string apiVersion, string kind, string? ns, string? labelSelector, CancellationToken cancellationToken);

    /// <summary>Deletes the object (background propagation); false when it did not exist.</summary>
    Task<bool> DeleteAsync(ObjectKey key, CancellationToken cancellationToken);

    /// <summary>Changes to objects of one kind from now on, until cancelled.</summary>
    IAsyncEnumerable<ClusterEvent> WatchAsync(string apiVersion, string kind, string? ns, CancellationToken cancellationToken);

    /// <summary>
    /// Lets <paramref name="duration"/> pass before the next poll: a real cluster is waited for; the sandbox advances
    /// its virtual clock and runs its controllers for that long.
    /// </summary>
    Task WaitAsync(TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>The field manager Keelson applies with.</summary>
    public const string FieldManager = "keelson";
}
