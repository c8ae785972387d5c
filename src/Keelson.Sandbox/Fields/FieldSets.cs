using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Fields;

/// <summary>What changed between two versions of an object, as three sets of paths.</summary>
public sealed record FieldComparison(FieldSet Added, FieldSet Modified, FieldSet Removed)
{
    /// <summary>Whether nothing changed.</summary>
    public bool IsSame => Added.IsEmpty && Modified.IsEmpty && Removed.IsEmpty;

    /// <summary>The paths set or changed.</summary>
    public FieldSet Changed => Added.Union(Modified);
}

/// <summary>
/// The field sets of structured-merge-diff on JSON objects: the fields an applied configuration sets
/// (<see cref="Applied"/>), every path an object has (<see cref="Existing"/>), and the comparison an update is
/// recorded from (<see cref="Compare"/>). The metadata the server owns (name, uid, resourceVersion...), the
/// managed fields themselves and <c>status</c> are never owned through the main resource; through the <c>status</c>
/// subresource (<c>status: true</c>) only <c>status</c> is.
/// </summary>
public static class FieldSets
{
    // What the API server strips from every field set (DefaultStripMetaFields).
    private static readonly FieldPath[] Stripped =
    [
        FieldPath.Of("apiVersion"), FieldPath.Of("kind"), FieldPath.Of("metadata"), FieldPath.Of("metadata", "name"),
        FieldPath.Of("metadata", "namespace"), FieldPath.Of("metadata", "creationTimestamp"), FieldPath.Of("metadata", "selfLink"),
        FieldPath.Of("metadata", "uid"), FieldPath.Of("metadata", "generation"), FieldPath.Of("metadata", "resourceVersion"),
        FieldPath.Of("metadata", "deletionTimestamp"), FieldPath.Of("metadata", "deletionGracePeriodSeconds"),
    ];

    private static readonly FieldPath Status = FieldPath.Of("status");

    private static readonly FieldPath[] NeverOwned = [FieldPath.Of("metadata", "managedFields"), Status];

    /// <summary>The fields an applied configuration sets: leaves, atomic values and associative list items (with <c>.</c>).</summary>
    public static FieldSet Applied(string kind, JsonObject applied, bool status = false)
    {
        ArgumentNullException.ThrowIfNull(applied);
        var paths = new List<FieldPath>();
        Walk(kind, applied, FieldPath.Root, [], paths, markObjects: false);
        return Clean(FieldSet.Of(paths), status);
    }

    /// <summary>Every path of an object, objects and items included: what anyone can own.</summary>
    public static FieldSet Existing(string kind, JsonObject resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var paths = new List<FieldPath>();
        Walk(kind, resource, FieldPath.Root, [], paths, markObjects: true);
        return Clean(FieldSet.Of(paths));
    }

    /// <summary>Every path anyone can own, through the main resource or the <c>status</c> subresource.</summary>
    public static FieldSet Ownable(string kind, JsonObject resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var paths = new List<FieldPath>();
        Walk(kind, resource, FieldPath.Root, [], paths, markObjects: true);
        var all = FieldSet.Of(paths);
        return Clean(all).Union(Clean(all, status: true));
    }

    /// <summary>
    /// The changes from <paramref name="before"/> (null: the empty object of the kind) to <paramref name="after"/>:
    /// a value that differs is modified; a field, object or item that appears is added (an object's own path too,
    /// which <c>FieldsV1</c> shows as <c>"."</c>) and one that goes is removed. Empty objects and lists are compared
    /// as values.
    /// </summary>
    public static FieldComparison Compare(string kind, JsonObject? before, JsonObject after, bool status = false)
    {
        ArgumentNullException.ThrowIfNull(after);
        var added = new List<FieldPath>();
        var modified = new List<FieldPath>();
        var removed = new List<FieldPath>();
        var walker = new Comparer(kind, added, modified, removed);
        walker.Node(before ?? EmptyObject(kind, after), after, FieldPath.Root, []);
        return new(Clean(FieldSet.Of(added), status), Clean(FieldSet.Of(modified), status), Clean(FieldSet.Of(removed), status));
    }

    /// <summary>
    /// The object of a kind as the API server's zero value serializes it, for comparing a created object against:
    /// the structs Go holds by value (metadata, spec, a template, a strategy) are there, empty, so they are not
    /// "added"; maps, lists and the structs held by pointer are absent.
    /// </summary>
    public static JsonObject EmptyObject(string kind, JsonObject like)
    {
        ArgumentNullException.ThrowIfNull(like);
        var empty = new JsonObject { ["metadata"] = new JsonObject(), ["status"] = new JsonObject() };
        if (like["spec"] is not JsonObject spec)
        {
            return empty;
        }

        var emptySpec = kind == "Pod" ? EmptyPodSpec() : new JsonObject();
        foreach (var strategy in new[] { "strategy", "updateStrategy" })
        {
            if (spec.ContainsKey(strategy))
            {
                emptySpec[strategy] = new JsonObject();
            }
        }

        if (spec["template"] is JsonObject)
        {
            emptySpec["template"] = new JsonObject { ["metadata"] = new JsonObject(), ["spec"] = EmptyPodSpec() };
        }

        if (spec["jobTemplate"] is JsonObject)
        {
            emptySpec["jobTemplate"] = new JsonObject
            {
                ["metadata"] = new JsonObject(),
                ["spec"] = new JsonObject { ["template"] = new JsonObject { ["metadata"] = new JsonObject(), ["spec"] = EmptyPodSpec() } },
            };
        }

        empty["spec"] = emptySpec;
        return empty;
    }

    // A pod spec's containers are not omitempty: the zero value has the list (null), so it is never "added".
    private static JsonObject EmptyPodSpec() => new() { ["containers"] = new JsonArray() };

    private static FieldSet Clean(FieldSet set, bool status = false) =>
        status ? FieldSet.Of(set.Paths.Where(p => p.StartsWith(Status) && p != Status))
        : set.Without(NeverOwned).Except(FieldSet.Of(Stripped)).Except(FieldSet.Of([FieldPath.Root]));

    private static void Walk(string kind, JsonNode? node, FieldPath at, List<string> fields, List<FieldPath> paths, bool markObjects)
    {
        switch (node)
        {
            case JsonObject o when o.Count == 0 || FieldSchema.IsAtomicObject(fields):
                paths.Add(at);
                break;
            case JsonObject o:
                if (markObjects)
                {
                    paths.Add(at);
                }

                foreach (var (name, value) in o)
                {
                    if (value is null)
                    {
                        continue;
                    }

                    fields.Add(name);
                    Walk(kind, value, at.Child(PathElement.Field(name)), fields, paths, markObjects);
                    fields.RemoveAt(fields.Count - 1);
                }

                break;
            case JsonArray a:
                WalkList(kind, a, at, fields, paths, markObjects);
                break;
            default:
                paths.Add(at);
                break;
        }
    }

    private static void WalkList(string kind, JsonArray list, FieldPath at, List<string> fields, List<FieldPath> paths, bool markObjects)
    {
        var shape = Shape(kind, fields, list);
        if (shape.Type == ListType.Atomic || list.Count == 0)
        {
            paths.Add(at);
            return;
        }

        if (markObjects)
        {
            paths.Add(at);
        }

        foreach (var item in list)
        {
            if (shape.Type == ListType.Set)
            {
                paths.Add(at.Child(PathElement.Value(item)));
                continue;
            }

            var itemPath = at.Child(FieldSchema.KeyOf(item, shape)!.Value);
            paths.Add(itemPath);
            foreach (var (name, value) in (JsonObject)item!)
            {
                if (value is null)
                {
                    continue;
                }

                fields.Add(name);
                Walk(kind, value, itemPath.Child(PathElement.Field(name)), fields, paths, markObjects);
                fields.RemoveAt(fields.Count - 1);
            }
        }
    }

    /// <summary>The list's shape; an associative list with an item missing a key, or with a key twice, is treated as atomic.</summary>
    internal static ListShape Shape(string kind, IReadOnlyList<string> fields, JsonArray? list)
    {
        var shape = FieldSchema.ListAt(kind, fields);
        if (shape.Type == ListType.Map && list is not null)
        {
            var keys = list.Select(item => FieldSchema.KeyOf(item, shape)).ToList();
            if (keys.Any(k => k is null) || keys.Distinct().Count() != keys.Count)
            {
                return ListShape.Atomic;
            }
        }

        if (shape.Type == ListType.Set && list is not null && list.Any(item => item is JsonObject or JsonArray))
        {
            return ListShape.Atomic;
        }

        return shape;
    }

    private sealed class Comparer(string kind, List<FieldPath> added, List<FieldPath> modified, List<FieldPath> removed)
    {
        public void Node(JsonNode? before, JsonNode? after, FieldPath at, List<string> fields)
        {
            if (before is null && after is null)
            {
                return;
            }

            if (before is JsonObject or null && after is JsonObject or null && !FieldSchema.IsAtomicObject(fields) && !(IsEmpty(before) && IsEmpty(after)))
            {
                Objects(before as JsonObject, after as JsonObject, at, fields);
            }
            else if (before is JsonArray or null && after is JsonArray or null && !(IsEmpty(before) && IsEmpty(after))
                && Shape(kind, fields, before as JsonArray) is { Type: not ListType.Atomic } shape && Shape(kind, fields, after as JsonArray).Type == shape.Type)
            {
                Lists(before as JsonArray, after as JsonArray, at, fields, shape);
            }
            else
            {
                Leaf(before, after, at);
                return;
            }

            if (before is null)
            {
                added.Add(at);
            }
            else if (after is null)
            {
                removed.Add(at);
            }
        }

        private void Objects(JsonObject? before, JsonObject? after, FieldPath at, List<string> fields)
        {
            var names = (before?.Select(p => p.Key) ?? []).Union(after?.Select(p => p.Key) ?? [], StringComparer.Ordinal);
            foreach (var name in names)
            {
                fields.Add(name);
                Node(before?[name], after?[name], at.Child(PathElement.Field(name)), fields);
                fields.RemoveAt(fields.Count - 1);
            }
        }

        private void Lists(JsonArray? before, JsonArray? after, FieldPath at, List<string> fields, ListShape shape)
        {
            var old = Items(before, shape);
            var now = Items(after, shape);
            foreach (var key in old.Keys.Union(now.Keys))
            {
                var itemPath = at.Child(key);
                if (shape.Type == ListType.Set)
                {
                    if (!old.ContainsKey(key))
                    {
                        added.Add(itemPath);
                    }
                    else if (!now.ContainsKey(key))
                    {
                        removed.Add(itemPath);
                    }

                    continue;
                }

                var wasThere = old.GetValueOrDefault(key);
                var isThere = now.GetValueOrDefault(key);
                Objects(wasThere as JsonObject, isThere as JsonObject, itemPath, fields);
                if (wasThere is null)
                {
                    added.Add(itemPath);
                }
                else if (isThere is null)
                {
                    removed.Add(itemPath);
                }
            }
        }

        private static Dictionary<PathElement, JsonNode?> Items(JsonArray? list, ListShape shape)
        {
            var items = new Dictionary<PathElement, JsonNode?>();
            foreach (var item in list ?? [])
            {
                items[shape.Type == ListType.Set ? PathElement.Value(item) : FieldSchema.KeyOf(item, shape)!.Value] = item;
            }

            return items;
        }

        private void Leaf(JsonNode? before, JsonNode? after, FieldPath at)
        {
            if (before is null)
            {
                added.Add(at);
            }
            else if (after is null)
            {
                removed.Add(at);
            }
            else if (!JsonNode.DeepEquals(before, after))
            {
                modified.Add(at);
            }
        }

        private static bool IsEmpty(JsonNode? node) => node is null || node is JsonObject { Count: 0 } || node is JsonArray { Count: 0 };
    }
}
