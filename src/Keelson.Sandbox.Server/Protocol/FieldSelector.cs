using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Protocol;

/// <summary>
/// A field selector as kubectl sends it (<c>metadata.name=x,involvedObject.uid=y</c>, also <c>==</c> and <c>!=</c>),
/// matched against any dotted path of the object's JSON; a missing field compares as the empty string.
/// </summary>
public sealed class FieldSelector
{
    private readonly IReadOnlyList<(string[] Path, bool Equal, string Value)> terms;

    private FieldSelector(IReadOnlyList<(string[] Path, bool Equal, string Value)> terms) => this.terms = terms;

    /// <summary>The selector that matches everything.</summary>
    public static FieldSelector Everything { get; } = new([]);

    /// <summary>Parses a selector; a term without an operator is a 400.</summary>
    public static FieldSelector Parse(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return Everything;
        }

        var terms = new List<(string[], bool, string)>();
        foreach (var term in selector.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (at, length, equal) = term.IndexOf("!=", StringComparison.Ordinal) is var ne and > 0 ? (ne, 2, false)
                : term.IndexOf("==", StringComparison.Ordinal) is var ee and > 0 ? (ee, 2, true)
                : term.IndexOf('=', StringComparison.Ordinal) is var e and > 0 ? (e, 1, true)
                : throw ApiException.BadRequest($"invalid field selector term '{term}': expected field=value, field==value or field!=value");
            terms.Add((term[..at].Trim().Split('.'), equal, term[(at + length)..].Trim()));
        }

        return new FieldSelector(terms);
    }

    /// <summary>Whether the object's JSON satisfies every term.</summary>
    public bool Matches(JsonNode resource)
    {
        foreach (var (path, equal, value) in terms)
        {
            JsonNode? node = resource;
            foreach (var step in path)
            {
                node = node is JsonObject o ? o[step] : null;
            }

            var actual = node is JsonValue v ? v.ToString() : "";
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }
}
