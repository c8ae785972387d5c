using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Protocol;

/// <summary>
/// A field selector as kubectl sends it (<c>metadata.name=x,involvedObject.uid=y</c>, also <c>==</c> and <c>!=</c>),
/// over the fields <see cref="FieldLabels"/> allows for the kind; an unset field compares as its default.
/// </summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<(string[] Path, bool Equal, string Value, string Unset)> terms;

    private FieldSelector(IReadOnlyList<(string[] Path, bool Equal, string Value, string Unset)> terms) => this.terms = terms;

    /// <summary>The selector that matches everything.</summary>
    public static FieldSelector Everything { get; } = new([]);

    /// <summary>Whether the selector has no terms.</summary>
    public bool IsEmpty => terms.Count == 0;

    /// <summary>
    /// Parses a selector for a kind; a term without an operator is a 400, and so is a field the kind cannot be
    /// selected by (<c>field label not supported: spec.foo</c>, as the API server says).
    /// </summary>
    public static FieldSelector Parse(string? selector, IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (string.IsNullOrWhiteSpace(selector))
        {
            return Everything;
        }

        var terms = new List<(string[], bool, string, string)>();
        foreach (var term in selector.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (at, length, equal) = term.IndexOf("!=", StringComparison.Ordinal) is var ne and > 0 ? (ne, 2, false)
                : term.IndexOf("==", StringComparison.Ordinal) is var ee and > 0 ? (ee, 2, true)
                : term.IndexOf('=', StringComparison.Ordinal) is var e and > 0 ? (e, 1, true)
                : throw ApiException.BadRequest($"invalid selector: '{selector}'; can't understand '{term}'");
            var field = term[..at].Trim();
            var unset = fields.TryGetValue(field, out var value) ? value : throw ApiException.BadRequest($"field label not supported: {field}");
            // An event's "source" selects on the reporting component, not on the whole source object.
            var path = field == "source" ? ["source", "component"] : field.Split('.');
            terms.Add((path, equal, term[(at + length)..].Trim(), unset));
        }

        return new FieldSelector(terms);
    }

    /// <summary>Whether the object's JSON satisfies every term.</summary>
    public bool Matches(JsonNode resource)
    {
        foreach (var (path, equal, value, unset) in terms)
        {
            JsonNode? node = resource;
            foreach (var step in path)
            {
                node = node is JsonObject o ? o[step] : null;
            }

            var actual = node switch
            {
                JsonValue v when v.TryGetValue<bool>(out var flag) => flag ? "true" : "false",
                JsonValue v => v.ToString(),
                JsonArray { Count: > 0 } list => string.Join(',', list.Select(i => i is JsonObject o ? o["ip"]?.ToString() : i?.ToString())),
                _ => unset,
            };
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }
}
