using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keelson.Server.Api;

/// <summary>
/// Reads the members of a CI/CD request body (already parsed strictly by <see cref="Http.JsonBody"/>) and collects
/// every problem by field path, so one 422 names all of them.
/// </summary>
public sealed class CicdFields(JsonObject body)
{
    /// <summary>Problems by field path, for a 422.</summary>
    public Dictionary<string, string[]> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether nothing was wrong.</summary>
    public bool Valid => Errors.Count == 0;

    /// <summary>Whether the body has the member (with any value, null included).</summary>
    public bool Has(string name) => body.ContainsKey(name);

    /// <summary>Records a problem with <paramref name="field"/>.</summary>
    public void Fail(string field, string message) => Errors[field] = [message];

    /// <summary>Refuses members not in <paramref name="allowed"/>, naming the allowed ones.</summary>
    public void OnlyKnown(IReadOnlyCollection<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(allowed);
        foreach (var key in body.Select(p => p.Key).Where(k => !allowed.Contains(k)))
        {
            Fail(key, $"is not a field here; fields: {string.Join(", ", allowed)}");
        }
    }

    /// <summary>A string member: null when absent (or null and not <paramref name="required"/>); checked for length and control characters.</summary>
    public string? Text(string name, bool required, int maxLength)
    {
        if (!body.TryGetPropertyValue(name, out var node) || node is null)
        {
            if (required)
            {
                Fail(name, "is required");
            }

            return null;
        }

        if (node is not JsonValue value || value.GetValueKind() != JsonValueKind.String)
        {
            Fail(name, $"must be a string; got {node.GetValueKind().ToString().ToLowerInvariant()}");
            return null;
        }

        var text = value.GetValue<string>();
        if (text.Length > maxLength)
        {
            Fail(name, $"is {text.Length} characters long; at most {maxLength} are allowed");
            return null;
        }

        if (text.Any(c => char.IsControl(c) && c is not ('\n' or '\t')))
        {
            Fail(name, "must not contain control characters");
            return null;
        }

        if (required && text.Trim().Length == 0)
        {
            Fail(name, "must not be empty");
            return null;
        }

        return text;
    }

    /// <summary>A boolean member, or null when absent or null.</summary>
    public bool? Bool(string name)
    {
        if (!body.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetValue<bool>();
        }

        Fail(name, "must be true or false");
        return null;
    }

    /// <summary>An integer member in [<paramref name="min"/>, <paramref name="max"/>], or null when absent.</summary>
    public int? Number(string name, bool required, int min, int max)
    {
        if (!body.TryGetPropertyValue(name, out var node) || node is null)
        {
            if (required)
            {
                Fail(name, "is required");
            }

            return null;
        }

        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<int>(out var number) && number >= min && number <= max)
        {
            return number;
        }

        Fail(name, $"must be a whole number from {min} to {max}");
        return null;
    }

    /// <summary>An object member, or null when absent or null.</summary>
    public JsonObject? ObjectMember(string name, int maxBytes)
    {
        if (!body.TryGetPropertyValue(name, out var node) || node is null)
        {
            return null;
        }

        if (node is not JsonObject obj)
        {
            Fail(name, $"must be a JSON object; got {node.GetValueKind().ToString().ToLowerInvariant()}");
            return null;
        }

        var size = obj.ToJsonString().Length;
        if (size > maxBytes)
        {
            Fail(name, $"is {size} characters of JSON; at most {maxBytes} are allowed");
            return null;
        }

        return obj;
    }

    /// <summary>A string member that must be one of <paramref name="allowed"/>.</summary>
    public string? OneOf(string name, bool required, IReadOnlyCollection<string> allowed)
    {
        var text = Text(name, required, 64);
        if (text is not null && !allowed.Contains(text))
        {
            Fail(name, $"'{text}' is not allowed; use one of {string.Join(", ", allowed)}");
            return null;
        }

        return text;
    }
}
