using System.Text.Json.Nodes;

namespace Keelson.Server.Http;

/// <summary>JSON merge patch (RFC 7396): objects merge key by key, <c>null</c> removes a key, anything else replaces.</summary>
public static class MergePatch
{
    /// <summary>A new object: <paramref name="target"/> with <paramref name="patch"/> applied; neither input is changed.</summary>
    public static JsonObject Apply(JsonObject target, JsonObject patch)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(patch);
        return (JsonObject)Merge(target.DeepClone(), patch)!;
    }

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject changes)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                // A nested object merges in place; only a replaced value is set again.
                var current = result[key];
                var merged = Merge(current, value);
                if (!ReferenceEquals(merged, current))
                {
                    result[key] = merged;
                }
            }
        }

        return result;
    }
}
