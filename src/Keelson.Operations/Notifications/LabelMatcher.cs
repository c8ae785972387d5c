using System.Text.RegularExpressions;

namespace Keelson.Operations.Notifications;

/// <summary>How a matcher compares a label: Alertmanager's <c>=</c>, <c>!=</c>, <c>=~</c> and <c>!~</c>.</summary>
public enum MatcherType
{
    /// <summary><c>=</c>: the label's value equals the matcher's.</summary>
    Equal,

    /// <summary><c>!=</c>: the label's value differs.</summary>
    NotEqual,

    /// <summary><c>=~</c>: the whole value matches the regular expression.</summary>
    Regex,

    /// <summary><c>!~</c>: the whole value does not match the regular expression.</summary>
    NotRegex,
}

/// <summary>
/// One label matcher with Alertmanager's semantics: a missing label counts as the empty string, and regular expressions
/// are anchored at both ends (<c>^(?:…)$</c>), so <c>instance=~"web"</c> does not match <c>web-1</c>.
/// </summary>
public sealed record LabelMatcher
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);
    private readonly Regex? regex;

    private LabelMatcher(string name, MatcherType type, string value, Regex? regex)
    {
        Name = name;
        Type = type;
        Value = value;
        this.regex = regex;
    }

    /// <summary>The label name.</summary>
    public string Name { get; }

    /// <summary>The comparison.</summary>
    public MatcherType Type { get; }

    /// <summary>The value or regular expression.</summary>
    public string Value { get; }

    /// <summary>Alertmanager's spelling of <see cref="Type"/>.</summary>
    public string Operator => Type switch
    {
        MatcherType.Equal => "=",
        MatcherType.NotEqual => "!=",
        MatcherType.Regex => "=~",
        _ => "!~",
    };

    /// <summary>A matcher, or an error saying what is wrong (bad label name, regular expression that does not compile).</summary>
    public static (LabelMatcher? Matcher, string? Error) Create(string name, MatcherType type, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!IsLabelName(name))
        {
            return (null, $"'{name}' is not a label name; use letters, digits and underscores, not starting with a digit.");
        }

        Regex? compiled = null;
        if (type is MatcherType.Regex or MatcherType.NotRegex)
        {
            try
            {
                compiled = new Regex($"^(?:{value})$", RegexOptions.CultureInvariant, RegexTimeout);
            }
            catch (ArgumentException e)
            {
                return (null, $"'{value}' is not a valid regular expression: {e.Message}");
            }
        }

        return (new LabelMatcher(name, type, value, compiled), null);
    }

    /// <summary>Whether the label set matches; a missing label is the empty string.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var actual = labels.TryGetValue(Name, out var v) ? v : "";
        return Type switch
        {
            MatcherType.Equal => actual == Value,
            MatcherType.NotEqual => actual != Value,
            MatcherType.Regex => regex!.IsMatch(actual),
            _ => !regex!.IsMatch(actual),
        };
    }

    /// <summary>Whether the matcher matches a missing label (Alertmanager refuses silences whose matchers all do).</summary>
    public bool MatchesEmpty => Matches(new Dictionary<string, string>());

    /// <inheritdoc />
    public override string ToString() => $"{Name}{Operator}\"{Value}\"";

    /// <inheritdoc />
    public bool Equals(LabelMatcher? other) => other is not null && Name == other.Name && Type == other.Type && Value == other.Value;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Type, Value);

    private static bool IsLabelName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
