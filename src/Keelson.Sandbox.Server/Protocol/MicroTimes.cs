using System.Globalization;
using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Protocol;

/// <summary>
/// <c>metav1.MicroTime</c> fields written as the API server writes them, always with six fractional digits
/// (<c>2026-01-05T10:00:00.000000Z</c>): KubernetesClient writes every time as a Time, dropping a zero fraction.
/// </summary>
internal static class MicroTimes
{
    // The MicroTime fields of the kinds the facade serves, as paths from the object's root.
    private static readonly Dictionary<string, string[][]> Fields = new(StringComparer.Ordinal)
    {
        ["Lease"] = [["spec", "acquireTime"], ["spec", "renewTime"]],
        ["Event"] = [["eventTime"]],
    };

    /// <summary>Rewrites the MicroTime fields of an object of <paramref name="kind"/> in place.</summary>
    public static void Format(JsonObject node, string kind)
    {
        if (!Fields.TryGetValue(kind, out var paths))
        {
            return;
        }

        foreach (var path in paths)
        {
            var parent = node;
            for (var i = 0; i < path.Length - 1 && parent is not null; i++)
            {
                parent = parent[path[i]] as JsonObject;
            }

            var field = path[^1];
            if (parent?[field] is JsonValue value && value.TryGetValue<string>(out var text)
                && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            {
                parent[field] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
            }
        }
    }
}
