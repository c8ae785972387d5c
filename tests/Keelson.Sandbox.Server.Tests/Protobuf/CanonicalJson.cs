using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Tests.Protobuf;

/// <summary>
/// JSON text to compare objects by: keys sorted, and empty arrays dropped, because protobuf (like Go's omitempty)
/// cannot tell an empty list from an absent one.
/// </summary>
internal static class CanonicalJson
{
    public static string Of(JsonNode? node) => Normalise(node)?.ToJsonString() ?? "null";

    private static JsonNode? Normalise(JsonNode? node) => node switch
    {
        JsonObject json => new JsonObject(json
            .Where(p => p.Value is not JsonArray { Count: 0 })
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Normalise(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Normalise)]),
        _ => node?.DeepClone(),
    };
}
