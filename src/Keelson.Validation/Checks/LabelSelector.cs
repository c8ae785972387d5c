using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>One requirement of a selector: a key, an operator (In, NotIn, Exists, DoesNotExist) and its values.</summary>
public sealed record SelectorRequirement(string Key, string Operator, IReadOnlyList<string> Values);

/// <summary>
/// The one label-selector evaluator every check that matches objects uses (PDB, NetworkPolicy, Service, spread and
/// affinity terms): <c>matchLabels</c> and <c>matchExpressions</c> with Kubernetes' semantics — all requirements
/// must hold; an empty selector matches everything; a malformed requirement matches nothing.
/// </summary>
public sealed class LabelSelector
{
    private LabelSelector(IReadOnlyList<SelectorRequirement> requirements) => Requirements = requirements;

    /// <summary>The operators a selector requirement accepts.</summary>
    public static readonly IReadOnlyList<string> Operators = ["In", "NotIn", "Exists", "DoesNotExist"];

    /// <summary>A selector that matches every set of labels.</summary>
    public static LabelSelector Everything { get; } = new([]);

    /// <summary>The requirements, <c>matchLabels</c> first as <c>In</c> with one value.</summary>
    public IReadOnlyList<SelectorRequirement> Requirements { get; }

    /// <summary>Whether the selector has no requirement, so it matches everything.</summary>
    public bool IsEmpty => Requirements.Count == 0;

    /// <summary>
    /// Whether every requirement is one the API server accepts (a key, a known operator, values exactly for In and
    /// NotIn); a malformed selector is reported by the API-server rules, and matches nothing here.
    /// </summary>
    public bool IsWellFormed => Requirements.All(r => r.Key.Length > 0 && r.Operator switch
    {
        "In" or "NotIn" => r.Values.Count > 0,
        "Exists" or "DoesNotExist" => r.Values.Count == 0,
        _ => false,
    });

    /// <summary>A <c>LabelSelector</c> object (<c>matchLabels</c>, <c>matchExpressions</c>); null when the node is not a mapping.</summary>
    public static LabelSelector? Parse(YamlElement? node)
    {
        if (node is not YamlMap map)
        {
            return null;
        }

        var requirements = new List<SelectorRequirement>();
        if (map.Get("matchLabels") is YamlMap labels)
        {
            requirements.AddRange(FromLabels(labels));
        }

        if (map.Get("matchExpressions") is YamlSeq expressions)
        {
            foreach (var expression in expressions)
            {
                var values = CheckContext.Get(expression, "values") is YamlSeq items
                    ? items.OfType<YamlValue>().Select(v => v.Value).ToList()
                    : [];
                requirements.Add(new SelectorRequirement(CheckContext.Value(expression, "key") ?? "", CheckContext.Value(expression, "operator") ?? "", values));
            }
        }

        return new LabelSelector(requirements);
    }

    /// <summary>A plain label map used as a selector (a Service's <c>spec.selector</c>, a ReplicationController's); null when not a mapping.</summary>
    public static LabelSelector? FromMap(YamlElement? node) => node is YamlMap map ? new LabelSelector([.. FromLabels(map)]) : null;

    /// <summary>Whether a label mapping (absent: no labels) satisfies every requirement.</summary>
    public bool Matches(YamlMap? labels) =>
        Matches(labels?.Entries.Where(e => e.Value is YamlValue).ToDictionary(e => e.Key, e => ((YamlValue)e.Value).Value, StringComparer.Ordinal)
            ?? new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>Whether labels satisfy every requirement.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        foreach (var r in Requirements)
        {
            var present = labels.TryGetValue(r.Key, out var value);
            var holds = r.Operator switch
            {
                // The API server requires values for In and NotIn; a selector without them is invalid and selects nothing.
                "In" => r.Values.Count > 0 && present && r.Values.Contains(value!, StringComparer.Ordinal),
                "NotIn" => r.Values.Count > 0 && (!present || !r.Values.Contains(value!, StringComparer.Ordinal)),
                "Exists" => r.Values.Count == 0 && present,
                "DoesNotExist" => r.Values.Count == 0 && !present,
                _ => false,
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The selector as <c>kubectl get -l</c> writes it, for messages.</summary>
    public override string ToString() => string.Join(",", Requirements.Select(r => r.Operator switch
    {
        "In" when r.Values.Count == 1 => $"{r.Key}={r.Values[0]}",
        "In" => $"{r.Key} in ({string.Join(",", r.Values)})",
        "NotIn" => $"{r.Key} notin ({string.Join(",", r.Values)})",
        "Exists" => r.Key,
        "DoesNotExist" => "!" + r.Key,
        _ => $"{r.Key} {r.Operator}",
    }));

    private static IEnumerable<SelectorRequirement> FromLabels(YamlMap labels) =>
        labels.Entries.Select(e => new SelectorRequirement(e.Key, "In", e.Value is YamlValue v ? [v.Value] : []));
}
