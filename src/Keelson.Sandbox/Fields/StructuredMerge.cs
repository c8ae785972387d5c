using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Fields;

/// <summary>
/// The merge of server-side apply on JSON: an applied configuration's fields are set on the live object; objects
/// merge field by field, associative lists item by item on their keys (live order kept, new items appended), set
/// lists value by value, and atomic objects, atomic lists and scalars are replaced.
/// </summary>
public static class StructuredMerge
{
    /// <summary>The live object with the applied configuration merged in; neither is changed.</summary>
    public static JsonObject Merge(string kind, JsonObject live, JsonObject applied)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(applied);
        return (JsonObject)Merge(kind, live, applied, [])!;
    }

    private static JsonNode? Merge(string kind, JsonNode? live, JsonNode? applied, List<string> fields)
    {
        if (applied is JsonObject changes && live is JsonObject current && !FieldSchema.IsAtomicObject(fields))
        {
            var result = current.DeepClone().AsObject();
            foreach (var (name, value) in changes)
            {
                if (value is null)
                {
                    continue;
                }

                fields.Add(name);
                result[name] = Merge(kind, result[name], value, fields);
                fields.RemoveAt(fields.Count - 1);
            }

            return result;
        }

        if (applied is JsonArray items && live is JsonArray existing)
        {
            var shape = FieldSets.Shape(kind, fields, items);
            if (shape.Type != ListType.Atomic && FieldSets.Shape(kind, fields, existing).Type == shape.Type)
            {
                return MergeList(kind, existing, items, shape, fields);
            }
        }

        return applied?.DeepClone();
    }

    private static JsonArray MergeList(string kind, JsonArray live, JsonArray applied, ListShape shape, List<string> fields)
    {
        var result = new JsonArray([.. live.Select(i => i?.DeepClone())]);
        foreach (var item in applied)
        {
            var key = Key(item, shape);
            var at = IndexOf(result, key, shape);
            if (at < 0)
            {
                result.Add(item?.DeepClone());
            }
            else if (shape.Type == ListType.Map)
            {
                result[at] = Merge(kind, result[at], item, fields);
            }
        }

        return result;
    }

    /// <summary>The object without what <paramref name="path"/> names; objects and lists left empty by that go too.</summary>
    public static void Remove(string kind, JsonObject resource, FieldPath path)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(path);
        if (path.Elements.IsEmpty)
        {
            return;
        }

        // The containers down to the parent of the removed step, to prune the ones it leaves empty.
        var trail = new List<(JsonNode Container, PathElement Step)>();
        JsonNode? node = resource;
        var fields = new List<string>();
        foreach (var element in path.Elements)
        {
            if (node is null)
            {
                return;
            }

            trail.Add((node, element));
            node = Step(kind, node, element, fields);
            if (element.Kind == PathElementKind.Field)
            {
                fields.Add(element.Text);
            }
        }

        if (node is null)
        {
            return;
        }

        for (var i = trail.Count - 1; i >= 0; i--)
        {
            var (container, step) = trail[i];
            RemoveStep(kind, container, step, fields.Take(trail.Take(i).Count(t => t.Step.Kind == PathElementKind.Field)).ToList());
            var emptied = container is JsonObject { Count: 0 } || container is JsonArray { Count: 0 };
            if (!emptied || i == 0)
            {
                break;
            }
        }
    }

    private static JsonNode? Step(string kind, JsonNode node, PathElement element, List<string> fields) => element.Kind switch
    {
        PathElementKind.Field => (node as JsonObject)?[element.Text],
        PathElementKind.Index => node is JsonArray list && int.Parse(element.Text, System.Globalization.CultureInfo.InvariantCulture) is var i && i < list.Count ? list[i] : null,
        _ => node is JsonArray items && IndexOf(items, element, FieldSets.Shape(kind, fields, items)) is var at && at >= 0 ? items[at] : null,
    };

    private static void RemoveStep(string kind, JsonNode container, PathElement step, List<string> fields)
    {
        switch (step.Kind)
        {
            case PathElementKind.Field:
                (container as JsonObject)?.Remove(step.Text);
                break;
            case PathElementKind.Index when container is JsonArray list:
                list.RemoveAt(int.Parse(step.Text, System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                if (container is JsonArray items && IndexOf(items, step, FieldSets.Shape(kind, fields, items)) is var at && at >= 0)
                {
                    items.RemoveAt(at);
                }

                break;
        }
    }

    private static PathElement? Key(JsonNode? item, ListShape shape) =>
        shape.Type == ListType.Set ? PathElement.Value(item) : FieldSchema.KeyOf(item, shape);

    private static int IndexOf(JsonArray list, PathElement? key, ListShape shape)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (Key(list[i], shape) == key)
            {
                return i;
            }
        }

        return -1;
    }
}
