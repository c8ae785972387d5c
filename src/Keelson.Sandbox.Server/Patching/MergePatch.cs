using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Patching;

/// <summary>JSON merge patch (RFC 7386): objects merge key by key, null removes a key, anything else replaces.</summary>
public static class MergePatch
{
    /// <summary>The result of applying <paramref name="patch"/> to <paramref name="target"/>; neither is changed.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject changes)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject original ? original.DeepClone().AsObject() : [];
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                result.Remove(key);
            }
            else
            {
                result[key] = Apply(result[key], value);
            }
        }

        return result;
    }
}
