using System.Globalization;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Rendering.Output;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Store;

namespace Keelson.Sandbox;

/// <summary>
/// The sandbox behind the cluster interface. Apply through it is Keelson's own forced server-side apply as field
/// manager <c>keelson</c>: the applied object replaces the fields Keelson set before, the server keeps what it owns
/// (uid, creation time, status, a Service's cluster IP), the generation moves only when the spec changes, and an
/// unchanged apply is a no-op. <c>managedFields</c> records it as an <c>Apply</c> by <c>keelson</c> owning every
/// field it sets, taken from other managers (the API facade records its callers' applies and updates itself).
/// </summary>
public sealed class SandboxCluster(SandboxEngine engine) : ICluster
{
    private static readonly HashSet<string> ClusterScoped = new(StringComparer.Ordinal)
    {
        "Namespace", "Node", "PersistentVolume", "ClusterRole", "ClusterRoleBinding", "StorageClass", "CustomResourceDefinition", "PriorityClass", "IngressClass",
    };

    /// <summary>The simulated cluster.</summary>
    public SandboxEngine Engine { get; } = engine;

    /// <inheritdoc/>
    public string Description => $"sandbox ({Engine.Profile.Name})";

    /// <inheritdoc/>
    public TimeProvider Time => Engine.Clock;

    /// <summary>Whether objects of a kind live outside namespaces.</summary>
    public static bool IsClusterScoped(string kind) => ClusterScoped.Contains(kind);

    // A custom kind's scope is its definition's.
    private bool IsClusterScopedCustom(IKubernetesObject<V1ObjectMeta> resource) =>
        Controllers.CustomResourceDefinitionController.Of(Engine.Store, ObjectKey.Of(resource).Group, resource.Kind)?.Spec.Scope == "Cluster";

    /// <inheritdoc/>
    public Task<IKubernetesObject<V1ObjectMeta>> ApplyAsync(IKubernetesObject<V1ObjectMeta> resource, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return Task.FromResult(Apply(resource));
    }

    /// <summary>The synchronous form of <see cref="ApplyAsync"/>, for the API facade and tests.</summary>
    public IKubernetesObject<V1ObjectMeta> Apply(IKubernetesObject<V1ObjectMeta> resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var applied = KubeObjects.Clone(resource);
        var existing = Engine.Store.Get(StoreKey.Of(applied));
        var live = existing is null ? null : Fields.FieldOwnershipJson.Of(existing);
        var json = Fields.FieldOwnershipJson.Of(applied);
        var entries = Fields.FieldManager.ApplyReplacing(
            applied.Kind, live, json, Fields.FieldManager.Decode(existing?.Metadata.ManagedFields),
            ICluster.FieldManager, applied.ApiVersion, Fields.FieldOwnershipJson.Seconds(Engine.Clock.UtcDateTime), StoredAs(json, live));
        applied.Metadata.ManagedFields = Fields.FieldManager.Encode(entries);
        return Apply(applied, dryRun: false);
    }

    /// <summary>
    /// Applies, or with <paramref name="dryRun"/> runs every check and server-set field of an apply and returns the
    /// object as it would be stored, storing nothing: no new resourceVersion, no watch event, no controller pass
    /// (the API server's <c>dryRun=All</c>).
    /// </summary>
    public IKubernetesObject<V1ObjectMeta> Apply(IKubernetesObject<V1ObjectMeta> resource, bool dryRun)
    {
        var applied = KubeObjects.Clone(resource);
        var meta = applied.Metadata;
        if (IsClusterScoped(applied.Kind) || (applied is CustomObject && IsClusterScopedCustom(applied)))
        {
            meta.NamespaceProperty = null;
        }
        else
        {
            meta.NamespaceProperty ??= "default";
            var home = Engine.Store.Get<V1Namespace>(null, meta.NamespaceProperty);
            if (home is null && applied.Kind != "Namespace")
            {
                throw new NamespaceNotFoundException(meta.NamespaceProperty);
            }

            if (home?.Metadata.DeletionTimestamp is not null && Engine.Store.Get(StoreKey.Of(applied)) is null)
            {
                throw new NamespaceTerminatingException(meta.NamespaceProperty);
            }
        }

        var existing = Engine.Store.Get(StoreKey.Of(applied));
        if (existing is null)
        {
            Prepare(applied, null);
            if (dryRun)
            {
                // A real dry run hands out a uid and a creation time but no resourceVersion; the uid is random
                // rather than the store's next one, so dry runs leave the store's counters alone.
                meta.Uid = Guid.NewGuid().ToString();
                meta.CreationTimestamp = Engine.Clock.UtcDateTime;
                meta.Generation = 1;
                meta.ResourceVersion = null;
                if (applied is V1Job job)
                {
                    Controllers.JobController.GenerateSelector(job);
                }

                return applied;
            }

            Engine.Store.Create(applied);
            Engine.Settle();
            return KubeObjects.Clone(applied);
        }

        Prepare(applied, existing);
        var specChanged = Desired(applied) != Desired(existing);
        if (!specChanged && Labels(applied) == Labels(existing))
        {
            return KubeObjects.Clone(existing);
        }

        meta.Uid = existing.Metadata.Uid;
        meta.CreationTimestamp = existing.Metadata.CreationTimestamp;
        meta.Generation = existing.Metadata.Generation;
        meta.OwnerReferences ??= existing.Metadata.OwnerReferences;
        CopyStatus(existing, applied);
        if (dryRun)
        {
            meta.Generation = specChanged ? (existing.Metadata.Generation ?? 1) + 1 : existing.Metadata.Generation;
            meta.ResourceVersion = existing.Metadata.ResourceVersion;
            return applied;
        }

        Engine.Store.Update(applied, specChanged);
        Engine.Settle();
        return KubeObjects.Clone(applied);
    }

    /// <inheritdoc/>
    public Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var found = Engine.Store.Get(StoreKey.Of(key));
        return Task.FromResult(found is null ? null : KubeObjects.Clone(found));
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>> ListAsync(string apiVersion, string kind, string? ns, string? labelSelector, CancellationToken cancellationToken)
    {
        var group = new ObjectKey(apiVersion, kind, ns, "").Group;
        IReadOnlyList<IKubernetesObject<V1ObjectMeta>> found = [.. Engine.Store.List(group, kind, ns)
            .Where(o => Selectors.Matches(labelSelector, o.Metadata.Labels))
            .Select(KubeObjects.Clone)];
        return Task.FromResult(found);
    }

    /// <inheritdoc/>
    public Task<bool> DeleteAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Task.FromResult(Delete(key));
    }

    /// <summary>The synchronous form of <see cref="DeleteAsync"/>: a namespace takes everything in it along.</summary>
    public bool Delete(ObjectKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Kind == "Namespace")
        {
            foreach (var inside in Engine.Store.All.Where(o => o.Metadata.NamespaceProperty == key.Name).ToList())
            {
                Engine.Store.Delete(StoreKey.Of(inside));
            }
        }

        // The API extensions server deletes a definition's objects before the definition goes.
        if (key.Kind == "CustomResourceDefinition" && Engine.Store.Get(StoreKey.Of(key)) is V1CustomResourceDefinition { Spec.Names: not null } crd)
        {
            foreach (var instance in Engine.Store.List(crd.Spec.Group, crd.Spec.Names.Kind, null).ToList())
            {
                Engine.Store.Delete(StoreKey.Of(instance));
            }
        }

        var deleted = Engine.Store.Delete(StoreKey.Of(key));
        Engine.Settle();
        return deleted;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ClusterEvent> WatchAsync(string apiVersion, string kind, string? ns, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var group = new ObjectKey(apiVersion, kind, ns, "").Group;
        var reader = Engine.Store.Watch(group, kind, ns, cancellationToken);
        while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (reader.TryRead(out var change))
            {
                yield return change;
            }
        }
    }

    /// <summary>
    /// Cordons a node and drains it as <c>kubectl drain</c> would (evictions through the disruption budgets, over the
    /// following reconcile passes); false when there is no such node.
    /// </summary>
    public bool Drain(string nodeName)
    {
        if (Engine.Store.Get<V1Node>(null, nodeName) is not { } node)
        {
            return false;
        }

        Controllers.NodeDrainController.Start(Engine.Context, node, remove: false, "drain requested");
        Engine.Settle();
        return true;
    }

    /// <inheritdoc/>
    public Task WaitAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Engine.Advance(duration);
        return Task.CompletedTask;
    }

    private static void Prepare(IKubernetesObject<V1ObjectMeta> applied, IKubernetesObject<V1ObjectMeta>? existing)
    {
        if (applied is V1Service service && service.Spec is { } spec && spec.ClusterIP != "None")
        {
            spec.ClusterIP = (existing as V1Service)?.Spec?.ClusterIP ?? (string.IsNullOrEmpty(spec.ClusterIP) ? ClusterIp(service) : spec.ClusterIP);
            spec.ClusterIPs = [spec.ClusterIP];
            spec.Type ??= "ClusterIP";
        }

        // The revision annotation belongs to the deployment controller; an apply that does not mention it keeps it,
        // as server-side apply keeps fields another manager owns.
        if (applied is V1Deployment && existing?.Metadata.Annotations?.TryGetValue(Controllers.DeploymentController.RevisionAnnotation, out var revision) == true
            && applied.Metadata.Annotations?.ContainsKey(Controllers.DeploymentController.RevisionAnnotation) != true)
        {
            applied.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
            applied.Metadata.Annotations[Controllers.DeploymentController.RevisionAnnotation] = revision;
        }

        if (applied is V1Job job && existing is V1Job existingJob)
        {
            Controllers.JobController.KeepGeneratedSelector(job, existingJob);
        }

        if (applied is V1Namespace ns)
        {
            // A namespace being deleted stays so whatever is applied to it.
            var terminating = (existing as V1Namespace)?.Metadata.DeletionTimestamp;
            ns.Metadata.DeletionTimestamp = terminating;
            ns.Status = new V1NamespaceStatus { Phase = terminating is null ? "Active" : "Terminating" };
        }
    }

    private static void CopyStatus(IKubernetesObject<V1ObjectMeta> from, IKubernetesObject<V1ObjectMeta> to)
    {
        var status = from.GetType().GetProperty("Status");
        if (status is not null && status.PropertyType == to.GetType().GetProperty("Status")?.PropertyType)
        {
            status.SetValue(to, status.GetValue(from));
        }
    }

    // What Keelson's apply stores besides what it applies (Apply keeps them): the live status and the deployment
    // controller's revision annotation, so the components that own them keep them in managedFields.
    private static JsonObject? StoredAs(JsonObject applied, JsonObject? live)
    {
        if (live is null)
        {
            return null;
        }

        var stored = applied.DeepClone().AsObject();
        if (live["status"] is { } status)
        {
            stored["status"] = status.DeepClone();
        }

        var revision = Controllers.DeploymentController.RevisionAnnotation;
        if (live["metadata"]?["annotations"]?[revision] is { } value && stored["metadata"] is JsonObject metadata)
        {
            var annotations = metadata["annotations"] as JsonObject ?? [];
            metadata["annotations"] = annotations;
            annotations[revision] ??= value.DeepClone();
        }

        return stored;
    }

    // The desired state of an object is everything except metadata and status.
    private static string Desired(IKubernetesObject<V1ObjectMeta> resource)
    {
        var node = JsonSerializer.SerializeToNode(resource, resource.GetType(), ManifestYaml.JsonOptions)!.AsObject();
        node.Remove("metadata");
        node.Remove("status");
        return node.ToJsonString();
    }

    // Labels, annotations and field ownership: metadata whose change is a change.
    private static string Labels(IKubernetesObject<V1ObjectMeta> resource) =>
        JsonSerializer.Serialize(new JsonObject
        {
            ["managedFields"] = JsonSerializer.SerializeToNode(resource.Metadata.ManagedFields, ManifestYaml.JsonOptions),
            ["labels"] = JsonSerializer.SerializeToNode(resource.Metadata.Labels?.OrderBy(l => l.Key, StringComparer.Ordinal).ToDictionary()),
            ["annotations"] = JsonSerializer.SerializeToNode(resource.Metadata.Annotations?.OrderBy(l => l.Key, StringComparer.Ordinal).ToDictionary()),
        });

    private static string ClusterIp(V1Service service)
    {
        var hash = XxHash32.HashToUInt32(Encoding.UTF8.GetBytes($"{service.Metadata.NamespaceProperty}/{service.Metadata.Name}"));
        return string.Create(CultureInfo.InvariantCulture, $"10.96.{(hash >> 8) & 0xff}.{(hash & 0xfd) + 2}");
    }
}

/// <summary>An object was applied into a namespace that does not exist.</summary>
public sealed class NamespaceNotFoundException(string ns) : Exception($"namespaces \"{ns}\" not found")
{
    /// <summary>The missing namespace.</summary>
    public string Namespace { get; } = ns;
}

/// <summary>An object was created in a namespace that is being deleted.</summary>
public sealed class NamespaceTerminatingException(string ns) : Exception($"unable to create new content in namespace {ns} because it is being terminated")
{
    /// <summary>The terminating namespace.</summary>
    public string Namespace { get; } = ns;
}
