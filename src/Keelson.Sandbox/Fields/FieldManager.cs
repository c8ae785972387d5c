using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Keelson.Sandbox.Fields;

/// <summary>
/// Field ownership as the API server's field manager keeps it in <c>metadata.managedFields</c>, after
/// structured-merge-diff's updater. An update (create, replace, any patch) gives its manager the fields it set or
/// changed and takes them from everyone else. An apply merges the applied configuration into the live object,
/// refuses to change fields other managers own (a <see cref="FieldConflictException"/>) unless forced, removes
/// the fields its manager applied last time and no longer applies when nobody else owns them, and leaves the
/// manager owning exactly what it applied; the same value applied by two managers is owned by both.
/// </summary>
public static class FieldManager
{
    /// <summary>
    /// The entries of an object's <c>metadata.managedFields</c>; entries that are not <c>FieldsV1</c>, and empty ones, are
    /// dropped (a manager may be unnamed: a client that sends neither a field manager nor a User-Agent).
    /// </summary>
    public static IReadOnlyList<ManagerEntry> Decode(IEnumerable<V1ManagedFieldsEntry>? entries) =>
        [.. (entries ?? []).Where(e => e.FieldsType is null or "FieldsV1" && (e.FieldsV1 is not null || e.Manager is not null))
            .Select(e => EntryOf(e, FieldSet.FromFieldsV1(e.FieldsV1 is null ? null : JsonSerializer.SerializeToNode(e.FieldsV1) as JsonObject)))];

    /// <summary>
    /// The entries as <c>metadata.managedFields</c>, in the API server's order (Apply before Update, then by time,
    /// manager, version and subresource); null when there are none.
    /// </summary>
    public static IList<V1ManagedFieldsEntry>? Encode(IEnumerable<ManagerEntry> entries)
    {
        var list = InServerOrder(entries.Where(e => !e.Fields.IsEmpty)
            .Select(e => new V1ManagedFieldsEntry
            {
                Manager = e.Manager,
                Operation = e.Operation,
                ApiVersion = e.ApiVersion,
                Time = e.Time,
                FieldsType = "FieldsV1",
                FieldsV1 = e.Fields.ToFieldsV1(),
                Subresource = e.Subresource,
            }));
        return list.Count == 0 ? null : list;
    }

    /// <summary>Entries in the API server's order: Apply before Update, then by time, manager, version and subresource.</summary>
    public static List<V1ManagedFieldsEntry> InServerOrder(IEnumerable<V1ManagedFieldsEntry> entries) =>
        [.. entries.OrderBy(e => e.Operation, StringComparer.Ordinal)
            .ThenBy(e => e.Time ?? DateTime.MinValue)
            .ThenBy(e => e.Manager, StringComparer.Ordinal)
            .ThenBy(e => e.ApiVersion, StringComparer.Ordinal)
            .ThenBy(e => e.Subresource ?? "", StringComparer.Ordinal)];

    /// <summary>An entry of <c>metadata.managedFields</c> as a <see cref="ManagerEntry"/> owning <paramref name="fields"/>.</summary>
    public static ManagerEntry EntryOf(V1ManagedFieldsEntry entry, FieldSet fields)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.Manager ?? "", entry.Operation ?? ManagerEntry.Update, entry.ApiVersion ?? "", string.IsNullOrEmpty(entry.Subresource) ? null : entry.Subresource, entry.Time, fields);
    }

    /// <summary>
    /// The entries after <paramref name="manager"/> changed the object from <paramref name="before"/> (null when
    /// it creates it) to <paramref name="after"/> through an update.
    /// </summary>
    public static IReadOnlyList<ManagerEntry> Update(string kind, JsonObject? before, JsonObject after, IReadOnlyList<ManagerEntry> entries, string manager, string apiVersion, string? subresource, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var comparison = FieldSets.Compare(kind, before, after, status: subresource == StatusSubresource);
        var self = new ManagerEntry(manager, ManagerEntry.Update, apiVersion, subresource, now, FieldSet.Empty);
        var result = new List<ManagerEntry>();
        ManagerEntry? previous = null;
        foreach (var entry in entries)
        {
            if (entry.Identity == self.Identity)
            {
                previous = entry;
                continue;
            }

            result.Add(entry with { Fields = entry.Fields.Except(comparison.Changed).Except(comparison.Removed) });
        }

        var changed = comparison.Changed;
        if (changed.IsEmpty)
        {
            // An update that sets nothing new leaves its manager's entry (and time) as it was.
            if (previous is not null)
            {
                result.Add(previous with { Fields = previous.Fields.Except(comparison.Removed) });
            }
        }
        else
        {
            result.Add(self with { Fields = (previous?.Fields ?? FieldSet.Empty).Except(comparison.Removed).Union(changed) });
        }

        return Owned(kind, after, result);
    }

    /// <summary>
    /// Server-side apply of <paramref name="applied"/> by <paramref name="manager"/> onto <paramref name="live"/>
    /// (null: the apply creates the object): the object to store and its entries. Throws
    /// <see cref="FieldConflictException"/> when it would change fields other managers own, unless <paramref name="force"/>.
    /// Through the <c>status</c> subresource (<paramref name="subresource"/>) only the configuration's status is applied.
    /// </summary>
    public static (JsonObject Object, IReadOnlyList<ManagerEntry> Entries) Apply(string kind, JsonObject? live, JsonObject applied, IReadOnlyList<ManagerEntry> entries, string manager, string apiVersion, bool force, DateTime now, string? subresource = null)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(entries);
        var status = subresource == StatusSubresource;
        var configuration = applied.DeepClone().AsObject();
        if (status)
        {
            // The status strategy keeps everything but status from the live object, metadata included.
            configuration = new JsonObject { ["status"] = configuration["status"]?.DeepClone() ?? new JsonObject() };
        }
        else
        {
            configuration.Remove("status");
        }

        (configuration["metadata"] as JsonObject)?.Remove("managedFields");
        var appliedSet = FieldSets.Applied(kind, configuration, status);
        var self = new ManagerEntry(manager, ManagerEntry.Apply, apiVersion, subresource, now, appliedSet);
        if (live is null)
        {
            return (configuration, Owned(kind, configuration, [self]));
        }

        if (entries.Count == 0)
        {
            // An object nobody is recorded as owning (written before field management) is first taken as an update of
            // the whole object by before-first-apply, as upstream does, so the apply meets its fields as owned.
            entries = Update(kind, null, live, [], BeforeFirstApply, apiVersion, null, now);
        }

        var previous = entries.FirstOrDefault(e => e.Identity == self.Identity);
        var others = entries.Where(e => e.Identity != self.Identity).ToList();
        var merged = StructuredMerge.Merge(kind, live, configuration);
        if (previous is not null)
        {
            Prune(kind, merged, previous.Fields, others.Aggregate(appliedSet, (owned, e) => owned.Union(e.Fields)));
        }

        var comparison = FieldSets.Compare(kind, live, merged, status);
        var conflicts = others
            .SelectMany(e => e.Fields.Intersect(comparison.Changed).Paths.Select(p => new FieldConflict(e, p)))
            .OrderBy(c => c.Owner.Manager, StringComparer.Ordinal).ThenBy(c => c.Path)
            .ToList();
        if (conflicts.Count > 0 && !force)
        {
            // kubectl's own applier takes over, without conflicts, what client-side apply set with the same values.
            var allowed = manager == KubectlApplier ? FromLastApplied(kind, live) : FieldSet.Empty;
            var remaining = conflicts.Where(c => !allowed.Contains(c.Path)).ToList();
            if (remaining.Count > 0)
            {
                throw new FieldConflictException(remaining);
            }
        }

        var result = others.Select(e => e with { Fields = e.Fields.Except(comparison.Changed).Except(comparison.Removed) }).ToList();

        // The applier's time moves when the apply changed the object, as upstream's; an unchanged apply keeps it.
        var time = comparison.IsSame && previous is not null && previous.Fields.Paths.SetEquals(appliedSet.Paths) ? previous.Time : now;
        result.Add(self with { Time = time });
        return (merged, Owned(kind, merged, result));
    }

    /// <summary>
    /// The entries after an apply by <paramref name="manager"/> that replaces the object with <paramref name="resource"/>
    /// and takes every field it sets (Keelson's own delivery into the sandbox: one applier, always forced).
    /// <paramref name="stored"/> is the object as it will be stored when that is more than the resource (the live
    /// status, metadata the store keeps): what others own there stays theirs.
    /// </summary>
    public static IReadOnlyList<ManagerEntry> ApplyReplacing(string kind, JsonObject? live, JsonObject resource, IReadOnlyList<ManagerEntry> entries, string manager, string apiVersion, DateTime now, JsonObject? stored = null)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(entries);
        var appliedSet = FieldSets.Applied(kind, resource);
        var self = new ManagerEntry(manager, ManagerEntry.Apply, apiVersion, null, now, appliedSet);
        var previous = entries.FirstOrDefault(e => e.Identity == self.Identity);
        var result = entries.Where(e => e.Identity != self.Identity).Select(e => e with { Fields = e.Fields.Except(appliedSet) }).ToList();
        var unchanged = live is not null && previous is not null && previous.Fields.Paths.SetEquals(appliedSet.Paths) && FieldSets.Compare(kind, live, resource).Changed.IsEmpty;
        result.Add(self with { Time = unchanged ? previous!.Time : now });
        return Owned(kind, stored ?? resource, result);
    }

    /// <summary>The subresource whose writes own <c>status</c> and nothing else.</summary>
    public const string StatusSubresource = "status";

    /// <summary>The owner of every field of an object that had no managed fields when it was first applied to.</summary>
    public const string BeforeFirstApply = "before-first-apply";

    /// <summary>The field manager of <c>kubectl apply --server-side</c>, which may take over from client-side apply.</summary>
    public const string KubectlApplier = "kubectl";

    private const string LastApplied = "kubectl.kubernetes.io/last-applied-configuration";

    // Upgrading from client-side to server-side apply (the API server's last-applied manager): conflicts are allowed on
    // the fields of the last-applied-configuration annotation whose live value is still the one it recorded.
    private static FieldSet FromLastApplied(string kind, JsonObject live)
    {
        if (live["metadata"]?["annotations"]?[LastApplied] is not JsonValue annotation || !annotation.TryGetValue<string>(out var text))
        {
            return FieldSet.Empty;
        }

        try
        {
            if (JsonNode.Parse(text) is not JsonObject lastApplied)
            {
                return FieldSet.Empty;
            }

            return FieldSets.Applied(kind, lastApplied).Except(FieldSets.Compare(kind, live, lastApplied).Modified);
        }
        catch (JsonException)
        {
            return FieldSet.Empty;
        }
    }

    // Fields the manager applied before and applies no more, owned by nobody now, leave the object; an object or
    // list item goes only when nothing under it is still owned.
    private static void Prune(string kind, JsonObject merged, FieldSet lastApplied, FieldSet owned)
    {
        // Sorted order puts an item before its fields: removing the item takes them along (and its key with them).
        var removed = new List<FieldPath>();
        foreach (var path in lastApplied.Except(owned).Paths)
        {
            if (!owned.HasUnder(path) && !removed.Any(path.StartsWith))
            {
                StructuredMerge.Remove(kind, merged, path);
                removed.Add(path);
            }
        }
    }

    // Nobody owns a field the object does not have; entries left with nothing go.
    private static IReadOnlyList<ManagerEntry> Owned(string kind, JsonObject resource, List<ManagerEntry> entries)
    {
        var existing = FieldSets.Ownable(kind, resource);
        return [.. entries.Select(e => e with { Fields = e.Fields.Within(existing) }).Where(e => !e.Fields.IsEmpty)];
    }
}
