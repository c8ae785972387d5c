using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Fields;

/// <summary>What a step of a field path selects.</summary>
public enum PathElementKind
{
    /// <summary>A field of an object (<c>f:name</c>).</summary>
    Field,

    /// <summary>An item of an associative list, by its merge keys (<c>k:{"name":"app"}</c>).</summary>
    Key,

    /// <summary>An item of a set list, by its value (<c>v:"a"</c>).</summary>
    Value,

    /// <summary>An item of a list by position (<c>i:0</c>); not written for the lists the sandbox knows.</summary>
    Index,
}

/// <summary>
/// One step of a field path as structured-merge-diff writes it in <c>FieldsV1</c>: <see cref="Text"/> is the part after
/// the prefix, in canonical form (keys sorted by name, JSON without insignificant space), so equal steps have equal text.
/// </summary>
public readonly record struct PathElement(PathElementKind Kind, string Text) : IComparable<PathElement>
{
    private static readonly JsonSerializerOptions Canonical = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A field of an object.</summary>
    public static PathElement Field(string name) => new(PathElementKind.Field, name);

    /// <summary>An associative list item, by the values of its key fields.</summary>
    public static PathElement Key(IEnumerable<KeyValuePair<string, JsonNode?>> keys)
    {
        var sorted = new JsonObject();
        foreach (var (name, value) in keys.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            sorted[name] = value?.DeepClone();
        }

        return new(PathElementKind.Key, sorted.ToJsonString(Canonical));
    }

    /// <summary>A set list item, by its value.</summary>
    public static PathElement Value(JsonNode? value) => new(PathElementKind.Value, value?.ToJsonString(Canonical) ?? "null");

    /// <summary>A list item by position.</summary>
    public static PathElement Index(int index) => new(PathElementKind.Index, index.ToString(CultureInfo.InvariantCulture));

    /// <summary>The <c>FieldsV1</c> key: <c>f:</c>, <c>k:</c>, <c>v:</c> or <c>i:</c> and the text.</summary>
    public string Encoded => Prefix + Text;

    private string Prefix => Kind switch
    {
        PathElementKind.Field => "f:",
        PathElementKind.Key => "k:",
        PathElementKind.Value => "v:",
        _ => "i:",
    };

    /// <summary>Reads a <c>FieldsV1</c> key; null when it is not one.</summary>
    public static PathElement? Decode(string encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        if (encoded.Length < 2 || encoded[1] != ':')
        {
            return null;
        }

        var text = encoded[2..];
        return encoded[0] switch
        {
            'f' => Field(text),
            'k' => JsonNode.Parse(text) is JsonObject keys ? Key(keys) : null,
            'v' => Value(JsonNode.Parse(text)),
            'i' => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? Index(i) : null,
            _ => null,
        };
    }

    /// <summary>The step as the API server prints it in conflicts: <c>.name</c>, <c>[name="app"]</c>, <c>[="a"]</c>, <c>[0]</c>.</summary>
    public override string ToString() => Kind switch
    {
        PathElementKind.Field => "." + Text,
        PathElementKind.Key => "[" + string.Join(",", ((JsonObject)JsonNode.Parse(Text)!).Select(k => $"{k.Key}={Printed(k.Value)}")) + "]",
        PathElementKind.Value => $"[={Printed(JsonNode.Parse(Text))}]",
        _ => $"[{Text}]",
    };

    /// <summary>Ordered before.</summary>
    public static bool operator <(PathElement left, PathElement right) => left.CompareTo(right) < 0;

    /// <summary>Ordered before or equal.</summary>
    public static bool operator <=(PathElement left, PathElement right) => left.CompareTo(right) <= 0;

    /// <summary>Ordered after.</summary>
    public static bool operator >(PathElement left, PathElement right) => left.CompareTo(right) > 0;

    /// <summary>Ordered after or equal.</summary>
    public static bool operator >=(PathElement left, PathElement right) => left.CompareTo(right) >= 0;

    /// <summary>Order as structured-merge-diff sorts: fields by name, then keys, values, indexes.</summary>
    public int CompareTo(PathElement other)
    {
        if (Kind != other.Kind)
        {
            return Kind.CompareTo(other.Kind);
        }

        // Equal steps are common in set operations, and a key or value would be parsed to compare it.
        if (string.Equals(Text, other.Text, StringComparison.Ordinal))
        {
            return 0;
        }

        return Kind switch
        {
            PathElementKind.Field => string.CompareOrdinal(Text, other.Text),
            PathElementKind.Index => int.Parse(Text, CultureInfo.InvariantCulture).CompareTo(int.Parse(other.Text, CultureInfo.InvariantCulture)),
            PathElementKind.Key => CompareKeys((JsonObject)JsonNode.Parse(Text)!, (JsonObject)JsonNode.Parse(other.Text)!),
            _ => CompareValues(JsonNode.Parse(Text), JsonNode.Parse(other.Text)),
        };
    }

    private static int CompareKeys(JsonObject a, JsonObject b)
    {
        var left = a.ToList();
        var right = b.ToList();
        for (var i = 0; i < Math.Min(left.Count, right.Count); i++)
        {
            var byName = string.CompareOrdinal(left[i].Key, right[i].Key);
            if (byName != 0)
            {
                return byName;
            }

            var byValue = CompareValues(left[i].Value, right[i].Value);
            if (byValue != 0)
            {
                return byValue;
            }
        }

        return left.Count.CompareTo(right.Count);
    }

    // Numbers by value, strings by text; across types by the kind's order, so the order is total.
    private static int CompareValues(JsonNode? a, JsonNode? b)
    {
        var kinds = KindOf(a).CompareTo(KindOf(b));
        if (kinds != 0)
        {
            return kinds;
        }

        return a is JsonValue x && b is JsonValue y && x.GetValueKind() == JsonValueKind.Number
            ? x.GetValue<double>().CompareTo(y.GetValue<double>())
            : string.CompareOrdinal(a?.ToJsonString(), b?.ToJsonString());
    }

    private static JsonValueKind KindOf(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    private static string Printed(JsonNode? value) => value?.ToJsonString(Canonical) ?? "null";
}
