using k8s.Models;

namespace Keelson.Sandbox.Store;

/// <summary>Label selector matching, as the API server and controllers apply it.</summary>
public static class Selectors
{
    /// <summary>Whether <paramref name="labels"/> satisfy a structured selector; a null selector matches nothing, an empty one everything.</summary>
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels) =>
        selector is not null && Scheduling.LabelSelectorMatcher.Compile(selector).Matches(labels);

    /// <summary>Whether every key/value of an equality selector (a Service's) is in <paramref name="labels"/>.</summary>
    public static bool Matches(IDictionary<string, string>? selector, IDictionary<string, string>? labels)
    {
        if (selector is null)
        {
            return true;
        }

        foreach (var (key, value) in selector)
        {
            if (labels is null || !labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether labels satisfy a selector string as kubectl writes it (<c>a=b,c!=d,e,!f,g in (h,i)</c>); null or
    /// empty matches everything. Throws <see cref="FormatException"/> naming the bad term.
    /// </summary>
    public static bool Matches(string? selector, IDictionary<string, string>? labels)
    {
        foreach (var term in Terms(selector))
        {
            var has = labels is not null && labels.TryGetValue(term.Key, out _);
            var value = has ? labels![term.Key] : null;
            var ok = term.Op switch
            {
                "=" or "==" => value == term.Values[0],
                "!=" => value != term.Values[0],
                "in" => has && term.Values.Contains(value!),
                "notin" => !has || !term.Values.Contains(value!),
                "exists" => has,
                _ => !has,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<(string Key, string Op, string[] Values)> Terms(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            yield break;
        }

        var i = 0;
        while (i < selector.Length)
        {
            // Commas inside "in (a,b)" do not end a term.
            var depth = 0;
            var start = i;
            while (i < selector.Length && (selector[i] != ',' || depth > 0))
            {
                depth += selector[i] == '(' ? 1 : selector[i] == ')' ? -1 : 0;
                i++;
            }

            var term = selector[start..i].Trim();
            i++;
            yield return Term(term);
        }
    }

    private static (string Key, string Op, string[] Values) Term(string term)
    {
        foreach (var op in new[] { " notin ", " in " })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                var list = term[(at + op.Length)..].Trim();
                if (!list.StartsWith('(') || !list.EndsWith(')'))
                {
                    throw new FormatException($"label selector term '{term}': a set needs parentheses, e.g. env in (prod,staging)");
                }

                return (term[..at].Trim(), op.Trim(), list[1..^1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            }
        }

        foreach (var op in new[] { "!=", "==", "=" })
        {
            var at = term.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                return (term[..at].Trim(), op, [term[(at + op.Length)..].Trim()]);
            }
        }

        if (term.StartsWith('!'))
        {
            return (term[1..].Trim(), "notexists", []);
        }

        return term.Length > 0 && !term.Contains(' ', StringComparison.Ordinal)
            ? (term, "exists", [])
            : throw new FormatException($"label selector term '{term}' is not key, !key, key=value, key!=value or key in (a,b)");
    }
}
