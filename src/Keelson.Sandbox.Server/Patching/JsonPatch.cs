using System.Globalization;
using System.Text.Json.Nodes;
using Keelson.Sandbox.Server.Protocol;

namespace Keelson.Sandbox.Server.Patching;

/// <summary>
/// JSON patch (RFC 6902): <c>add</c>, <c>remove</c>, <c>replace</c>, <c>move</c>, <c>copy</c> and <c>test</c> on
/// JSON Pointer paths (RFC 6901: <c>~1</c> is <c>/</c>, <c>~0</c> is <c>~</c>, <c>-</c> appends to a list). As the
/// API server: a body that is not a list of operations is a 400; an operation that does not apply (a failed test,
/// a missing parent, a missing key to remove, an index out of range) is a 422, and then nothing of the patch is
/// applied. Replacing a missing key of an object sets it, as the API server's JSON patch library does.
/// </summary>
public static class JsonPatch
{
    // The API server's bound (maxJSONPatchOperations) on a patch's length.
    private const int MaxOperations = 10000;

    /// <summary>The result of applying <paramref name="patch"/> to <paramref name="document"/>; the document is not changed.</summary>
    public static JsonNode? Apply(JsonNode? document, JsonNode? patch)
    {
        if (patch is not JsonArray operations || operations.Any(o => o is not JsonObject))
        {
            throw ApiException.BadRequest("json: cannot unmarshal the patch into a list of operations: a JSON patch is a list of {\"op\", \"path\", ...} objects");
        }

        if (operations.Count > MaxOperations)
        {
            throw new ApiException(413, "RequestEntityTooLarge", $"The allowed maximum operations in a JSON patch is {MaxOperations}, got {operations.Count}");
        }

        var root = document?.DeepClone();
        foreach (var operation in operations.Cast<JsonObject>())
        {
            root = ApplyOne(root, operation);
        }

        return root;
    }

    /// <summary>The reference tokens of a JSON Pointer, unescaped; one that does not start with <c>/</c> is refused.</summary>
    public static IReadOnlyList<string> Tokens(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Length == 0)
        {
            return [];
        }

        if (path[0] != '/')
        {
            throw Failed($"JSON pointer must be empty or start with a \"/\": {path}");
        }

        return [.. path[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))];
    }

    private static JsonNode? ApplyOne(JsonNode? root, JsonObject operation)
    {
        var op = Text(operation, "op") ?? throw Failed("Unexpected kind: missing op");
        var path = Text(operation, "path") ?? throw Failed($"{op} operation missing path: missing value");
        switch (op)
        {
            case "add":
                return Add(root, path, Value(operation, op), op);
            case "remove":
                return Remove(root, path, op).Root;
            case "replace":
                return Replace(root, path, Value(operation, op));
            case "move":
                var from = Text(operation, "from") ?? throw Failed("move operation missing from: missing value");
                var (rest, moved) = Remove(root, from, op);
                return Add(rest, path, moved, op);
            case "copy":
                var source = Text(operation, "from") ?? throw Failed("copy operation missing from: missing value");
                return TryGet(root, Tokens(source), out var copied)
                    ? Add(root, path, copied?.DeepClone(), op)
                    : throw Failed($"copy operation does not apply: doc is missing from path: {source}: missing value");
            case "test":
                var expected = Value(operation, op);
                var found = TryGet(root, Tokens(path), out var actual);
                return (found || expected is null) && JsonNode.DeepEquals(actual, expected)
                    ? root
                    : throw Failed($"testing value {path} failed: test failed");
            default:
                throw Failed($"Unexpected kind: {op}");
        }
    }

    private static JsonNode? Add(JsonNode? root, string path, JsonNode? value, string op)
    {
        var tokens = Tokens(path);
        if (tokens.Count == 0)
        {
            return value;
        }

        var parent = Parent(root, tokens, path, op);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a:
                var index = last == "-" ? a.Count : Index(last, a.Count + 1);
                a.Insert(index, value);
                break;
            default:
                throw Failed($"{op} operation does not apply: doc is missing path: \"{path}\": missing value");
        }

        return root;
    }

    // As the API server's JSON patch library (evanphx/json-patch v4): replacing a missing key of an existing object
    // sets it (kubectl rollout undo relies on this for metadata.annotations); a missing list index or parent fails.
    private static JsonNode? Replace(JsonNode? root, string path, JsonNode? value)
    {
        var tokens = Tokens(path);
        if (tokens.Count == 0)
        {
            return value;
        }

        var parent = TryGet(root, tokens.Take(tokens.Count - 1), out var found) ? found : null;
        switch (parent)
        {
            case JsonObject o:
                o[tokens[^1]] = value;
                return root;
            case JsonArray a:
                a[Index(tokens[^1], a.Count)] = value;
                return root;
            default:
                throw Failed($"replace operation does not apply: doc is missing path: {path}: missing value");
        }
    }

    private static (JsonNode? Root, JsonNode? Removed) Remove(JsonNode? root, string path, string op)
    {
        var tokens = Tokens(path);
        if (tokens.Count == 0)
        {
            return (null, root);
        }

        var parent = Parent(root, tokens, path, op);
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                var removed = o[last];
                o.Remove(last);
                return (root, removed);
            case JsonArray a:
                var index = Index(last, a.Count);
                var item = a[index];
                a.RemoveAt(index);
                return (root, item);
            default:
                throw Failed($"Unable to remove nonexistent key: {last}: missing value");
        }
    }

    private static JsonNode Parent(JsonNode? root, IReadOnlyList<string> tokens, string path, string op) =>
        TryGet(root, tokens.Take(tokens.Count - 1), out var parent) && parent is not null
            ? parent
            : throw Failed($"{op} operation does not apply: doc is missing path: \"{path}\": missing value");

    private static bool TryGet(JsonNode? root, IEnumerable<string> tokens, out JsonNode? found)
    {
        found = root;
        foreach (var token in tokens)
        {
            switch (found)
            {
                case JsonObject o when o.TryGetPropertyValue(token, out var child):
                    found = child;
                    break;
                case JsonArray a when int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < a.Count:
                    found = a[i];
                    break;
                default:
                    found = null;
                    return false;
            }
        }

        return true;
    }

    // Indexes are decimal without a sign or leading zeros; "-" is only for add, and a list has no index past its end.
    private static int Index(string token, int limit) =>
        int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < limit && (token.Length == 1 || token[0] != '0')
            ? index
            : throw Failed($"Unable to access invalid index: {token}: invalid index referenced");

    private static string? Text(JsonObject operation, string name) =>
        operation[name] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private static JsonNode? Value(JsonObject operation, string op) =>
        operation.TryGetPropertyValue("value", out var value) ? value?.DeepClone() : throw Failed($"{op} operation missing value: missing value");

    private static ApiException Failed(string message) => new(422, "Invalid", message);
}
