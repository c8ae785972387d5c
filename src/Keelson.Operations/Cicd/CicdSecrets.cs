using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Operations.Audit;

namespace Keelson.Operations.Cicd;

/// <summary>
/// Separates credentials from a setting's value: every member under a secret-looking key (password, token, webhook URL,
/// ...) at any object depth moves to a map of path → value, and the value says only <c>has_&lt;key&gt;: true</c> there.
/// A later value without that member keeps the stored secret (the UI never gets it back to send); <c>""</c> or
/// <c>null</c> removes it.
/// </summary>
public static class CicdSecrets
{
    private const string HasPrefix = "has_";

    /// <summary>True for a key whose value is a credential.</summary>
    public static bool IsSecret(string key) =>
        SecretMask.IsSecretKey(key) || key.Contains("webhook", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The value to store (credentials removed, <c>has_</c> markers set) and the secrets to store (JSON object of path →
    /// value) for <paramref name="value"/>, given the secrets stored before.
    /// </summary>
    public static (string Value, string Secrets) Split(JsonObject value, string? storedSecrets)
    {
        ArgumentNullException.ThrowIfNull(value);
        var secrets = storedSecrets is { Length: > 0 } ? JsonNode.Parse(storedSecrets)!.AsObject() : [];
        var copy = value.DeepClone().AsObject();
        Extract(copy, "", secrets);

        // Markers only where the secret's object still exists; a secret whose object is gone goes too.
        foreach (var path in secrets.Select(p => p.Key).ToList())
        {
            if (Parent(copy, path) is { } parent)
            {
                parent[HasPrefix + Leaf(path)] = true;
            }
            else
            {
                secrets.Remove(path);
            }
        }

        return (copy.ToJsonString(), secrets.ToJsonString());
    }

    /// <summary>The stored secret at <paramref name="path"/> (members joined by <c>/</c>), or null.</summary>
    public static string? Get(string? storedSecrets, string path) =>
        storedSecrets is { Length: > 0 } && JsonNode.Parse(storedSecrets) is JsonObject secrets && secrets[path] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static void Extract(JsonObject node, string prefix, JsonObject secrets)
    {
        foreach (var (key, child) in node.ToList())
        {
            if (key.StartsWith(HasPrefix, StringComparison.Ordinal) && IsSecret(key[HasPrefix.Length..]))
            {
                // A marker sent back by a client is ours to set, not theirs.
                node.Remove(key);
            }
            else if (IsSecret(key) && child is not JsonObject)
            {
                node.Remove(key);
                if (child is null || (child is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0))
                {
                    secrets.Remove(prefix + key);
                }
                else
                {
                    secrets[prefix + key] = child.DeepClone();
                }
            }
            else if (child is JsonObject inner)
            {
                Extract(inner, prefix + key + "/", secrets);
            }
        }
    }

    private static JsonObject? Parent(JsonObject root, string path)
    {
        var parts = path.Split('/');
        JsonObject? node = root;
        foreach (var part in parts[..^1])
        {
            node = node?[part] as JsonObject;
        }

        return node;
    }

    private static string Leaf(string path) => path[(path.LastIndexOf('/') + 1)..];
}
