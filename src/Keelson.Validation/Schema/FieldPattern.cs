using System.Globalization;
using System.Text;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Schema;

/// <summary>One node a <see cref="FieldPattern"/> found, with the list indices it passed through.</summary>
internal readonly record struct FieldMatch(YamlElement Node, int First, int Second);

/// <summary>
/// A dotted path with <c>[]</c> for "every item of a list" (<c>spec.containers[].image</c>), split once.
/// Matching fills a reused list and allocates no path strings; <see cref="Render"/> builds one for a finding.
/// </summary>
internal sealed class FieldPattern
{
    private readonly (string Key, bool List)[] steps;

    /// <summary>Compiles a pattern; at most two <c>[]</c>, which is all the rules need.</summary>
    public FieldPattern(string pattern)
    {
        steps = pattern.Length == 0
            ? []
            : [.. pattern.Split('.').Select(s => s.EndsWith("[]", StringComparison.Ordinal) ? (s[..^2], true) : (s, false))];
        if (steps.Count(s => s.List) > 2)
        {
            throw new ArgumentException($"'{pattern}' has more than two list wildcards", nameof(pattern));
        }
    }

    /// <summary>Adds every node at the pattern below <paramref name="root"/> to <paramref name="matches"/>, in document order.</summary>
    public void Match(YamlElement root, List<FieldMatch> matches) => Match(root, 0, -1, -1, matches);

    /// <summary>The concrete path of a match, optionally with one more key.</summary>
    public string Render(FieldMatch match, string? field = null)
    {
        var text = new StringBuilder();
        var lists = 0;
        foreach (var (key, list) in steps)
        {
            Key(text, key);
            if (list)
            {
                text.Append(CultureInfo.InvariantCulture, $"[{(lists++ == 0 ? match.First : match.Second)}]");
            }
        }

        if (field is not null)
        {
            Key(text, field);
        }

        return text.ToString();
    }

    private static void Key(StringBuilder text, string key) => text.Append(text.Length == 0 ? "" : ".").Append(key);

    private void Match(YamlElement node, int step, int first, int second, List<FieldMatch> matches)
    {
        for (; step < steps.Length; step++)
        {
            var (key, list) = steps[step];
            if (node is not YamlMap map || map.Get(key) is not { } child)
            {
                return;
            }

            if (list)
            {
                if (child is YamlSeq items)
                {
                    for (var i = 0; i < items.Count; i++)
                    {
                        Match(items[i], step + 1, first < 0 ? i : first, first < 0 ? -1 : i, matches);
                    }
                }

                return;
            }

            node = child;
        }

        matches.Add(new FieldMatch(node, first, second));
    }
}
