using Keelson.Validation.Loading;
using Keelson.Validation.Schema;

namespace Keelson.Validation.ApiServer;

/// <summary>
/// The rule paths of one kind merged into a tree of keys, so one walk over the fields an object has reaches every rule;
/// a rule whose field is absent costs nothing (hundreds of rules, most about optional fields).
/// </summary>
internal sealed class RuleTrie
{
    private readonly Dictionary<string, RuleTrie> keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RuleTrie> lists = new(StringComparer.Ordinal);
    private readonly List<(ApiRule Rule, FieldPattern Pattern)> rules = [];

    /// <summary>Adds a rule at its concrete path (<c>spec.containers[].ports[].name</c>).</summary>
    public void Add(ApiRule rule, string path)
    {
        var node = this;
        foreach (var segment in path.Length == 0 ? [] : path.Split('.'))
        {
            var (key, table) = segment.EndsWith("[]", StringComparison.Ordinal) ? (segment[..^2], node.lists) : (segment, node.keys);
            if (!table.TryGetValue(key, out var child))
            {
                child = new RuleTrie();
                table[key] = child;
            }

            node = child;
        }

        node.rules.Add((rule, new FieldPattern(path)));
    }

    /// <summary>Calls <paramref name="visit"/> for every rule whose path exists in <paramref name="element"/>, with the match.</summary>
    public void Walk(YamlElement element, int first, int second, List<(ApiRule Rule, FieldPattern Pattern, FieldMatch Match)> visit)
    {
        if (element is YamlValue { IsNull: true })
        {
            return;
        }

        foreach (var (rule, pattern) in rules)
        {
            visit.Add((rule, pattern, new FieldMatch(element, first, second)));
        }

        if (element is not YamlMap map)
        {
            return;
        }

        foreach (var (key, child) in keys)
        {
            if (map.Get(key) is { } value)
            {
                child.Walk(value, first, second, visit);
            }
        }

        foreach (var (key, child) in lists)
        {
            if (map.Get(key) is YamlSeq items)
            {
                for (var i = 0; i < items.Count; i++)
                {
                    child.Walk(items[i], first < 0 ? i : first, first < 0 ? -1 : i, visit);
                }
            }
        }
    }
}
