using Keelson.Validation.Loading;

namespace Keelson.Validation.ApiServer;

/// <summary>
/// What <c>metav1.LabelSelectorAsSelector</c> and <c>ValidateLabelSelector</c> do with a selector: its requirements must be
/// well formed, and a workload's selector must select its own pod template (<c>selector.Matches(template labels)</c>).
/// </summary>
public static class LabelSelectors
{
    /// <summary>The operators a selector requirement accepts.</summary>
    public static readonly string[] Operators = ["In", "NotIn", "Exists", "DoesNotExist"];

    /// <summary>Whether a selector has no requirement (selects everything).</summary>
    public static bool IsEmpty(YamlMap selector) =>
        (selector.Get("matchLabels") is not YamlMap { Count: > 0 }) && (selector.Get("matchExpressions") is not YamlSeq { Count: > 0 });

    /// <summary>Whether a well-formed selector selects the labels; null when the selector is malformed (other rules report that).</summary>
    public static bool? Matches(YamlMap selector, YamlMap? labels)
    {
        string? Label(string key) => labels?.Get(key) is YamlValue v ? v.Value : null;
        if (selector.Get("matchLabels") is YamlMap matchLabels)
        {
            foreach (var (key, value) in matchLabels.Entries)
            {
                if (value is not YamlValue wanted || Label(key) != wanted.Value)
                {
                    return false;
                }
            }
        }

        if (selector.Get("matchExpressions") is YamlSeq expressions)
        {
            foreach (var expression in expressions.OfType<YamlMap>())
            {
                var key = expression.Scalar("key");
                var values = (expression.Get("values") as YamlSeq)?.OfType<YamlValue>().Select(v => v.Value).ToList() ?? [];
                if (key is null)
                {
                    return null;
                }

                var label = Label(key);
                var ok = expression.Scalar("operator") switch
                {
                    "In" => label is not null && values.Contains(label),
                    "NotIn" => label is null || !values.Contains(label),
                    "Exists" => label is not null,
                    "DoesNotExist" => label is null,
                    _ => (bool?)null,
                };
                if (ok != true)
                {
                    return ok;
                }
            }
        }

        return true;
    }
}
