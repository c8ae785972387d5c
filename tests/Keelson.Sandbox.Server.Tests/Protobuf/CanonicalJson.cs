using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Tests.Protobuf;

/// <summary>
/// JSON text to compare objects by: keys sorted, and empty arrays and empty-string properties dropped, because
/// protobuf cannot tell an empty list from an absent one and the codec leaves empty strings out as Go's omitempty does;
/// apiVersion and kind of embedded objects (a StatefulSet's volumeClaimTemplates) are dropped, as no message has them.
/// </summary>
internal static class CanonicalJson
{
    public static string Of(JsonNode? node) => Normalise(node, root: true)?.ToJsonString() ?? "null";

    private static JsonNode? Normalise(JsonNode? node, bool root = false) => node switch
    {
        JsonObject json => new JsonObject(json
            .Where(p => p.Value is not JsonArray { Count: 0 } && !IsEmptyString(p.Value))
            .Where(p => root || !json.ContainsKey("metadata") || p.Key is not ("apiVersion" or "kind"))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Normalise(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(i => Normalise(i))]),
        _ => node?.DeepClone(),
    };

    private static bool IsEmptyString(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.String && value.GetValue<string>().Length == 0;
}
