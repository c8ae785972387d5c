using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Fields;

/// <summary>How a list merges under server-side apply (<c>x-kubernetes-list-type</c>).</summary>
public enum ListType
{
    /// <summary>Replaced whole and owned as one field.</summary>
    Atomic,

    /// <summary>Items merged and owned one by one, identified by key fields.</summary>
    Map,

    /// <summary>Scalar items merged and owned one by one, identified by value.</summary>
    Set,
}

/// <summary>The shape of a list: its type and, for associative lists, the key fields and their defaults.</summary>
public sealed record ListShape(ListType Type, IReadOnlyList<string> Keys)
{
    /// <summary>An atomic list.</summary>
    public static ListShape Atomic { get; } = new(ListType.Atomic, []);
}

/// <summary>
/// The parts of the Kubernetes API's structural schema that field ownership depends on: which lists are associative
/// (and by which keys), which are sets, and which objects are atomic (<c>x-kubernetes-map-type: atomic</c>, Go's
/// <c>+structType=atomic</c>). Lists the table does not name are atomic, as upstream treats lists without a list type.
/// </summary>
public static class FieldSchema
{
    // listType=map lists of the core and apps types, by field name, with their listMapKeys.
    private static readonly Dictionary<string, string[]> MapLists = new(StringComparer.Ordinal)
    {
        ["containers"] = ["name"],
        ["initContainers"] = ["name"],
        ["ephemeralContainers"] = ["name"],
        ["env"] = ["name"],
        ["volumes"] = ["name"],
        ["volumeMounts"] = ["mountPath"],
        ["volumeDevices"] = ["devicePath"],
        ["imagePullSecrets"] = ["name"],
        ["hostAliases"] = ["ip"],
        ["resourceClaims"] = ["name"],
        ["topologySpreadConstraints"] = ["topologyKey", "whenUnsatisfiable"],
        ["ownerReferences"] = ["uid"],
        ["conditions"] = ["type"],
        ["podIPs"] = ["ip"],
        ["hostIPs"] = ["ip"],
    };

    // Label selectors, node selectors and the value references of env are atomic: one owner for the whole object.
    private static readonly HashSet<string> AtomicObjects = new(StringComparer.Ordinal)
    {
        "selector", "nodeSelector", "podSelector", "namespaceSelector", "labelSelector", "configMapKeyRef", "secretKeyRef",
        "fieldRef", "resourceFieldRef", "scaleTargetRef", "roleRef",
    };

    private static readonly HashSet<string> ContainerLists = new(StringComparer.Ordinal) { "containers", "initContainers", "ephemeralContainers" };

    /// <summary>The names of every key field of an associative list: their values make the items' paths.</summary>
    public static IReadOnlySet<string> KeyFields { get; } = new HashSet<string>(MapLists.Values.SelectMany(k => k).Concat(["containerPort", "protocol", "port"]), StringComparer.Ordinal);

    /// <summary>Defaults of key fields an item may leave out (a port's <c>protocol</c> is TCP), as the schema declares them.</summary>
    public static IReadOnlyDictionary<string, JsonNode> KeyDefaults { get; } = new Dictionary<string, JsonNode>(StringComparer.Ordinal) { ["protocol"] = "TCP" };

    /// <summary>The shape of the list at <paramref name="fields"/> (the field names from the root) in an object of <paramref name="kind"/>.</summary>
    public static ListShape ListAt(string kind, IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (fields.Count == 0)
        {
            return ListShape.Atomic;
        }

        var name = fields[^1];
        if (name == "ports")
        {
            if (fields.Count >= 2 && ContainerLists.Contains(fields[^2]))
            {
                return new(ListType.Map, ["containerPort", "protocol"]);
            }

            return kind == "Service" && fields.Count == 2 && fields[0] == "spec" ? new(ListType.Map, ["port", "protocol"]) : ListShape.Atomic;
        }

        if (name == "finalizers" && fields.Count == 2 && fields[0] == "metadata")
        {
            return new(ListType.Set, []);
        }

        return MapLists.TryGetValue(name, out var keys) ? new(ListType.Map, keys) : ListShape.Atomic;
    }

    /// <summary>Whether the object at <paramref name="fields"/> is owned and replaced as a whole.</summary>
    public static bool IsAtomicObject(IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return fields.Count > 0 && AtomicObjects.Contains(fields[^1]);
    }

    /// <summary>The key of an associative list item, defaults filled in; null when a key without a default is missing.</summary>
    public static PathElement? KeyOf(JsonNode? item, ListShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (item is not JsonObject fields)
        {
            return null;
        }

        var keys = new List<KeyValuePair<string, JsonNode?>>();
        foreach (var key in shape.Keys)
        {
            var value = fields[key] ?? KeyDefaults.GetValueOrDefault(key);
            if (value is null)
            {
                return null;
            }

            keys.Add(new(key, value));
        }

        return PathElement.Key(keys);
    }
}
