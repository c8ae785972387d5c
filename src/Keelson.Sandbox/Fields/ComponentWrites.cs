using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Rendering.Output;

namespace Keelson.Sandbox.Fields;

/// <summary>
/// The writes of the cluster's own components (controllers, kubelet, scheduler, the API server's CRD controllers) in
/// <c>metadata.managedFields</c>, as a real cluster records them: every one an <c>Update</c> under the component's
/// manager name, status through the <c>status</c> subresource. What upstream shows, matched here:
/// <c>kube-controller-manager</c> creates ReplicaSets, pods, Jobs, PVCs and Endpoints (main resource) and writes the
/// status of Deployments (with their <c>deployment.kubernetes.io/revision</c> annotation, which the Deployment status
/// strategy lets through), ReplicaSets, StatefulSets, Jobs, CronJobs, HPAs, PDBs and namespaces; <c>kubelet</c> writes
/// pod and node status and its node Lease; <c>kube-scheduler</c> writes only the <c>PodScheduled=False</c> condition of
/// a pod it cannot place (a binding is not recorded, and nobody owns the <c>PodScheduled</c> condition it sets,
/// kubernetes/kubernetes#127508); <c>kube-apiserver</c> writes a CustomResourceDefinition's status.
/// Controllers write often: a write is not re-encoded when the writer's fields did not change, only its time moves.
/// </summary>
public static class ComponentWrites
{
    /// <summary>The field manager of upstream's controllers.</summary>
    public const string ControllerManager = "kube-controller-manager";

    /// <summary>The field manager of the kubelet.</summary>
    public const string Kubelet = "kubelet";

    /// <summary>The field manager of the scheduler.</summary>
    public const string Scheduler = "kube-scheduler";

    /// <summary>The field manager of the API server's own controllers (a CRD's names and conditions).</summary>
    public const string ApiServer = "kube-apiserver";

    private static readonly FieldPath StatusPath = FieldPath.Of("status");

    // FieldsV1 decoded once per entry object: a controller's own entry stays the same object from write to write.
    private static readonly ConditionalWeakTable<V1ManagedFieldsEntry, FieldSet> Decoded = [];

    // The shape of the status a component's entry was last worked out for. Any re-encoding of an object's entries makes
    // new entry objects, so an entry still here means nobody else's fields changed since.
    private static readonly ConditionalWeakTable<V1ManagedFieldsEntry, string> StatusShapes = [];

    // The FieldsV1 of objects a component created, by kind, manager and shape: the pods of one ReplicaSet share one.
    private static readonly ConcurrentDictionary<string, JsonObject> CreatedFields = new(StringComparer.Ordinal);

    private const int CreatedFieldsLimit = 512;

    /// <summary>
    /// An object <paramref name="manager"/> creates: it owns every field it set (status is not owned through the main
    /// resource). Call before storing it.
    /// </summary>
    public static void Created(IKubernetesObject<V1ObjectMeta> resource, string manager, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var time = FieldOwnershipJson.Seconds(now);
        var json = FieldOwnershipJson.Of(resource);
        (json["metadata"] as JsonObject)?.Remove("name");
        var key = $"{resource.ApiVersion}|{resource.Kind}|{manager}|{FieldShape.Of(json)}";
        if (CreatedFields.TryGetValue(key, out var fields))
        {
            resource.Metadata.ManagedFields = [new V1ManagedFieldsEntry
            {
                Manager = manager, Operation = ManagerEntry.Update, ApiVersion = resource.ApiVersion, Time = time, FieldsType = "FieldsV1", FieldsV1 = fields.DeepClone(),
            }];
            return;
        }

        resource.Metadata.ManagedFields = FieldManager.Encode(FieldManager.Update(resource.Kind, null, json, [], manager, resource.ApiVersion, null, time));
        if (resource.Metadata.ManagedFields is [{ FieldsV1: JsonObject encoded }])
        {
            if (CreatedFields.Count >= CreatedFieldsLimit)
            {
                CreatedFields.Clear();
            }

            CreatedFields[key] = (JsonObject)encoded.DeepClone();
        }
    }

    /// <summary>
    /// A status write by <paramref name="manager"/> through <c>/status</c>: the writer owns every status field nobody
    /// else owns, except <paramref name="unowned"/> (fields another path of the API server set), and
    /// <paramref name="alsoOwned"/> when the object has them (metadata the status strategy lets through). A field another
    /// manager owns stays theirs: components write the parts of status that are theirs. Call before storing the object.
    /// </summary>
    public static void Status(IKubernetesObject<V1ObjectMeta> resource, string manager, DateTime now, IReadOnlyCollection<FieldPath>? unowned = null, IReadOnlyCollection<FieldPath>? alsoOwned = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var status = resource.GetType().GetProperty("Status")?.GetValue(resource);
        var node = new JsonObject { ["status"] = status is null ? null : JsonSerializer.SerializeToNode(status, status.GetType(), ManifestYaml.JsonOptions) };
        var shape = $"{manager}|{unowned?.Count}|{string.Concat(alsoOwned?.Select(p => Has(resource, p) ? '1' : '0') ?? [])}|{FieldShape.Of(node)}";
        var self = new ManagerEntry(manager, ManagerEntry.Update, resource.ApiVersion, FieldManager.StatusSubresource, null, FieldSet.Empty).Identity;
        V1ManagedFieldsEntry? Mine() => resource.Metadata.ManagedFields?.FirstOrDefault(e => FieldManager.EntryOf(e, FieldSet.Empty).Identity == self);
        if (Mine() is { } mine && StatusShapes.TryGetValue(mine, out var known) && known == shape)
        {
            Touch(resource, mine, FieldOwnershipJson.Seconds(now));
            return;
        }

        var present = FieldSet.Of(FieldSets.Ownable(resource.Kind, node).Paths.Where(p => p.StartsWith(StatusPath) && p != StatusPath));
        var written = unowned is { Count: > 0 } ? FieldSet.Of(present.Paths.Where(p => !unowned.Any(p.StartsWith))) : present;
        var extra = alsoOwned is { Count: > 0 } ? FieldSet.Of(alsoOwned.Where(p => Has(resource, p))) : FieldSet.Empty;
        Record(resource, manager, FieldManager.StatusSubresource, now, (present, written), extra, FieldSet.Empty);
        if (Mine() is { } entry)
        {
            StatusShapes.AddOrUpdate(entry, shape);
        }
    }

    /// <summary>
    /// A main-resource write by <paramref name="manager"/> that set <paramref name="changed"/> (a scale's
    /// <c>spec.replicas</c>, a node's taints): the writer takes them, from whoever owned them. Call before storing the object.
    /// </summary>
    public static void Changed(IKubernetesObject<V1ObjectMeta> resource, string manager, DateTime now, params FieldPath[] changed)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(changed);
        // A field the write removed (taints now empty) is owned by nobody.
        var present = FieldSet.Of(changed.Where(p => Has(resource, p)));
        Record(resource, manager, null, now, null, present, FieldSet.Of(changed).Except(present));
    }

    // The writer's entry becomes (status written, less what others own) plus what it took; others lose what it took and
    // the status fields the object no longer has. An entry whose fields are the same keeps its encoding; only its time moves.
    private static void Record(IKubernetesObject<V1ObjectMeta> resource, string manager, string? subresource, DateTime now, (FieldSet Present, FieldSet Written)? status, FieldSet taken, FieldSet removed)
    {
        var time = FieldOwnershipJson.Seconds(now);
        var entries = resource.Metadata.ManagedFields ?? [];
        var self = new ManagerEntry(manager, ManagerEntry.Update, resource.ApiVersion, subresource, time, FieldSet.Empty).Identity;
        V1ManagedFieldsEntry? mine = null;
        var others = new List<(V1ManagedFieldsEntry Entry, FieldSet Fields)>();
        foreach (var entry in entries)
        {
            if (FieldManager.EntryOf(entry, FieldSet.Empty).Identity == self)
            {
                mine = entry;
            }
            else
            {
                others.Add((entry, FieldsOf(entry)));
            }
        }

        // A list item another manager added (a condition of its own type) stays theirs, fields and all.
        var othersOwn = others.Aggregate(FieldSet.Empty, (all, o) => all.Union(o.Fields));
        var othersItems = othersOwn.Paths.Where(p => p.Elements[^1].Kind == PathElementKind.Key).ToList();
        var previous = mine is null ? FieldSet.Empty : FieldsOf(mine).Except(removed);
        var fields = status is not { } written
            ? previous.Union(taken)
            : FieldSet.Of(previous.Paths.Where(p => !p.StartsWith(StatusPath)))
                .Union(FieldSet.Of(written.Written.Except(othersOwn).Paths.Where(p => !othersItems.Any(p.StartsWith))))
                .Union(taken);
        var othersAfter = others.Select(o => (o.Entry, Fields: Kept(o.Fields, taken.Union(removed), status?.Present))).ToList();
        var othersSame = othersAfter.Zip(others).All(p => p.First.Fields.Paths.Count == p.Second.Fields.Paths.Count);
        if (mine is not null && othersSame && removed.IsEmpty && fields.Paths.SetEquals(previous.Paths))
        {
            Touch(resource, mine, time);
            return;
        }

        var rebuilt = othersAfter.Where(o => !o.Fields.IsEmpty).Select(o => FieldManager.EntryOf(o.Entry, o.Fields)).ToList();
        rebuilt.Add(new ManagerEntry(manager, ManagerEntry.Update, resource.ApiVersion, subresource, time, fields));
        resource.Metadata.ManagedFields = FieldManager.Encode(rebuilt);
    }

    // The writer's fields are the same: only its entry's time moves (and with it the entries' order).
    private static void Touch(IKubernetesObject<V1ObjectMeta> resource, V1ManagedFieldsEntry mine, DateTime time)
    {
        if (mine.Time != time)
        {
            mine.Time = time;
            resource.Metadata.ManagedFields = FieldManager.InServerOrder(resource.Metadata.ManagedFields!);
        }
    }

    // Another manager's fields after a component's write: less what the write took and the status fields that are gone.
    private static FieldSet Kept(FieldSet fields, FieldSet taken, FieldSet? statusPresent)
    {
        var kept = fields.Except(taken);
        return statusPresent is null ? kept : FieldSet.Of(kept.Paths.Where(p => !p.StartsWith(StatusPath) || statusPresent.Contains(p)));
    }

    private static FieldSet FieldsOf(V1ManagedFieldsEntry entry) => Decoded.GetValue(entry, e =>
        FieldSet.FromFieldsV1(e.FieldsV1 is null ? null : JsonSerializer.SerializeToNode(e.FieldsV1) as JsonObject));

    // Whether the object has a value at a path of plain fields (metadata.annotations.x, spec.replicas).
    private static bool Has(IKubernetesObject<V1ObjectMeta> resource, FieldPath path)
    {
        if (path.Elements.Any(e => e.Kind != PathElementKind.Field))
        {
            return true;
        }

        var names = path.Elements.Select(e => e.Text).ToList();

        if (names is ["metadata", "annotations", var annotation])
        {
            return resource.Metadata.Annotations?.ContainsKey(annotation) == true;
        }

        if (names is ["metadata", "labels", var label])
        {
            return resource.Metadata.Labels?.ContainsKey(label) == true;
        }

        object? at = resource;
        foreach (var name in names)
        {
            at = at?.GetType().GetProperties().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.GetValue(at);
        }

        return at is not null;
    }
}
