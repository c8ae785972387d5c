using k8s.Models;

namespace Keelson.Sandbox.Scheduling;

/// <summary>
/// A compiled <see cref="V1LabelSelector"/> over pod labels. As in Kubernetes, a null selector selects nothing and an
/// empty one selects everything; a requirement the API server would reject selects nothing rather than throwing.
/// </summary>
internal sealed class LabelSelectorMatcher
{
    private readonly LabelRequirement[] requirements;
    private readonly bool never;

    private LabelSelectorMatcher(LabelRequirement[] requirements, bool never, string canonical)
    {
        this.requirements = requirements;
        this.never = never;
        Canonical = canonical;
    }

    /// <summary>Text that is equal for equal selectors, whatever the order of their labels and expressions.</summary>
    public string Canonical { get; }

    /// <summary>Compiles a selector; <paramref name="extraLabels"/> are ANDed in (a spread constraint's matchLabelKeys).</summary>
    public static LabelSelectorMatcher Compile(V1LabelSelector? selector, IEnumerable<KeyValuePair<string, string>>? extraLabels = null)
    {
        if (selector is null)
        {
            return new LabelSelectorMatcher([], never: true, "<none>");
        }

        var list = new List<LabelRequirement>();
        foreach (var (key, value) in (selector.MatchLabels ?? new Dictionary<string, string>()).Concat(extraLabels ?? []))
        {
            list.Add(new LabelRequirement(key, SelectorOperator.In, [value], 0));
        }

        foreach (var expression in selector.MatchExpressions ?? [])
        {
            if (LabelRequirement.Compile(expression.Key, expression.OperatorProperty, expression.Values, allowNumeric: false) is not { } requirement)
            {
                return new LabelSelectorMatcher([], never: true, "<invalid>");
            }

            list.Add(requirement);
        }

        var canonical = string.Join(";", list.Select(r => r.Canonical()).Order(StringComparer.Ordinal));
        return new LabelSelectorMatcher([.. list], never: false, canonical);
    }

    /// <summary>Whether labels (null meaning none) are selected.</summary>
    public bool Matches(IDictionary<string, string>? labels)
    {
        if (never)
        {
            return false;
        }

        foreach (var requirement in requirements)
        {
            string? value = null;
            if (labels is not null && labels.TryGetValue(requirement.Key, out var found))
            {
                value = found;
            }

            if (!requirement.Matches(value))
            {
                return false;
            }
        }

        return true;
    }
}
