using System.Text.Json.Nodes;

namespace Keelson.Operations.Audit;

/// <summary>Masks values under secret-looking keys in a JSON document, at any depth, so the audit log never holds them.</summary>
public static class SecretMask
{
    /// <summary>What a masked value becomes.</summary>
    public const string Masked = "***";

    private static readonly string[] SecretWords = ["password", "passwd", "secret", "token", "apikey", "api_key", "api-key", "authorization", "credential", "private_key", "connectionstring", "connection_string"];

    /// <summary>The document with every value under a secret-looking key replaced by <see cref="Masked"/>; throws on text that is not JSON.</summary>
    public static string Apply(string json)
    {
        var node = JsonNode.Parse(json);
        Mask(node);
        return node?.ToJsonString() ?? "null";
    }

    /// <summary>True when a key names a secret (case-insensitive substring match).</summary>
    public static bool IsSecretKey(string key) => SecretWords.Any(w => key.Contains(w, StringComparison.OrdinalIgnoreCase));

    private static void Mask(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    if (IsSecretKey(key))
                    {
                        obj[key] = Masked;
                    }
                    else
                    {
                        Mask(obj[key]);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Mask(item);
                }

                break;
        }
    }
}
