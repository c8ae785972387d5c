using System.Text;
using System.Text.RegularExpressions;

namespace Keelson.Operations.Alerts;

/// <summary>
/// The subset of Prometheus's Go templates that annotations and labels may use: <c>{{ $value }}</c>,
/// <c>{{ $labels.name }}</c> and <c>{{ $labels.name }}</c>-free text. Anything else is rejected when the rule is created.
/// </summary>
public static partial class AlertTemplate
{
    /// <summary>Null when <paramref name="template"/> only uses the supported actions; else what is wrong and where (1-based column).</summary>
    public static string? Validate(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var position = 0;
        while ((position = template.IndexOf("{{", position, StringComparison.Ordinal)) >= 0)
        {
            var end = template.IndexOf("}}", position + 2, StringComparison.Ordinal);
            if (end < 0)
            {
                return $"column {position + 1}: '{{{{' without a closing '}}}}'";
            }

            var action = template[(position + 2)..end].Trim();
            if (!Action().IsMatch(action))
            {
                return $"column {position + 1}: unsupported template action '{{{{ {action} }}}}'; expected {{{{ $value }}}} or {{{{ $labels.<name> }}}}";
            }

            position = end + 2;
        }

        return null;
    }

    /// <summary>Expands <paramref name="template"/> with Prometheus's formatting of <c>$value</c>; absent labels expand to empty text, as Go's <c>missingkey=zero</c> does.</summary>
    public static string Expand(string template, double value, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(labels);
        var text = new StringBuilder();
        var position = 0;
        int open;
        while ((open = template.IndexOf("{{", position, StringComparison.Ordinal)) >= 0)
        {
            var end = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (end < 0)
            {
                break;
            }

            text.Append(template, position, open - position);
            var match = Action().Match(template[(open + 2)..end].Trim());
            if (match.Groups["label"].Success)
            {
                text.Append(labels.TryGetValue(match.Groups["label"].Value, out var label) ? label : string.Empty);
            }
            else if (match.Success)
            {
                text.Append(GoFloat.Format(value));
            }

            position = end + 2;
        }

        return text.Append(template, position, template.Length - position).ToString();
    }

    [GeneratedRegex(@"^(?:\$value|\$labels\.(?<label>[a-zA-Z_][a-zA-Z0-9_]*))$", RegexOptions.CultureInvariant)]
    private static partial Regex Action();
}
