using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Keelson.Operations.Alerts;

/// <summary>A condition that does not parse: where (1-based column) and what was expected there.</summary>
public sealed class ConditionSyntaxException(int column, string expected, string message) : FormatException(message)
{
    /// <summary>1-based column of the offending character.</summary>
    public int Column { get; } = column;

    /// <summary>What the parser expected at <see cref="Column"/>.</summary>
    public string Expected { get; } = expected;
}

/// <summary>
/// Parses the condition language: <c>cpu_usage &gt; 80</c>, <c>avg(cpu_usage[5m]) &gt; 80</c> (also max, min, sum, count, rate,
/// and the PromQL names <c>avg_over_time</c> etc.), label matchers <c>{tenant="a"}</c>, <c>and</c>/<c>or</c> with parentheses
/// (<c>and</c> binds tighter, as in PromQL).
/// </summary>
public sealed class ConditionParser
{
    private static readonly ImmutableDictionary<string, RangeFunction> Functions = new Dictionary<string, RangeFunction>
    {
        ["avg"] = RangeFunction.Avg, ["avg_over_time"] = RangeFunction.Avg,
        ["max"] = RangeFunction.Max, ["max_over_time"] = RangeFunction.Max,
        ["min"] = RangeFunction.Min, ["min_over_time"] = RangeFunction.Min,
        ["sum"] = RangeFunction.Sum, ["sum_over_time"] = RangeFunction.Sum,
        ["count"] = RangeFunction.Count, ["count_over_time"] = RangeFunction.Count,
        ["rate"] = RangeFunction.Rate,
    }.ToImmutableDictionary(StringComparer.Ordinal);

    private readonly string text;
    private int position;

    private ConditionParser(string text) => this.text = text;

    /// <summary>Parses <paramref name="text"/> or throws <see cref="ConditionSyntaxException"/>.</summary>
    public static Condition Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parser = new ConditionParser(text);
        var condition = parser.ParseOr();
        parser.SkipSpace();
        if (parser.position < text.Length)
        {
            throw parser.Error("'and', 'or' or the end of the condition");
        }

        return condition;
    }

    private Condition ParseOr()
    {
        var left = ParseAnd();
        while (TryKeyword("or"))
        {
            left = new Logical(left, false, ParseAnd());
        }

        return left;
    }

    private Condition ParseAnd()
    {
        var left = ParsePrimary();
        while (TryKeyword("and"))
        {
            left = new Logical(left, true, ParsePrimary());
        }

        return left;
    }

    private Condition ParsePrimary()
    {
        SkipSpace();
        if (Peek() == '(')
        {
            position++;
            var inner = ParseOr();
            Expect(')', "')'");
            return inner;
        }

        var operand = ParseOperand();
        SkipSpace();
        var op = ParseOp();
        SkipSpace();
        return new Comparison(operand, op, ParseNumber());
    }

    private Operand ParseOperand()
    {
        SkipSpace();
        var start = position;
        var name = Identifier("a metric name or one of avg, max, min, sum, count, rate");
        SkipSpace();
        if (Peek() == '(' && Functions.TryGetValue(name, out var function))
        {
            position++;
            SkipSpace();
            var selector = ParseSelector(Identifier("a metric name"), position);
            SkipSpace();
            Expect('[', $"'[' and a window after {selector.Metric} ({name} needs a range such as [5m])");
            SkipSpace();
            var range = ParseDuration();
            SkipSpace();
            Expect(']', "']'");
            SkipSpace();
            Expect(')', "')'");
            return new Operand(selector, function, range);
        }

        if (Peek() == '(')
        {
            throw new ConditionSyntaxException(start + 1, "one of avg, max, min, sum, count, rate", $"column {start + 1}: unknown function '{name}'; expected one of avg, max, min, sum, count, rate");
        }

        return new Operand(ParseSelector(name, start), null, TimeSpan.Zero);
    }

    private MetricSelectorExpr ParseSelector(string metric, int start)
    {
        // A selector's start is where its name began; callers that parsed the name pass that position.
        if (start == position)
        {
            start = position - metric.Length;
        }

        var matchers = ImmutableArray.CreateBuilder<LabelMatcher>();
        SkipSpace();
        if (Peek() == '{')
        {
            position++;
            SkipSpace();
            while (Peek() != '}')
            {
                var label = Identifier("a label name or '}'");
                SkipSpace();
                var op = TryText("=~") ? MatchOp.Regex : TryText("!~") ? MatchOp.NotRegex : TryText("!=") ? MatchOp.NotEqual : TryText("=") ? MatchOp.Equal : throw Error("one of =, !=, =~, !~");
                SkipSpace();
                var value = ParseString();
                var matcher = new LabelMatcher(label, op, value);
                if (op is MatchOp.Regex or MatchOp.NotRegex)
                {
                    try
                    {
                        _ = matcher.Anchored();
                    }
                    catch (ArgumentException e)
                    {
                        throw Error("a valid regular expression", e.Message);
                    }
                }

                matchers.Add(matcher);
                SkipSpace();
                if (Peek() == ',')
                {
                    position++;
                    SkipSpace();
                }
                else if (Peek() != '}')
                {
                    throw Error("',' or '}'");
                }
            }

            position++;
        }

        return new MetricSelectorExpr(metric, matchers.ToImmutable(), start + 1);
    }

    private ComparisonOp ParseOp()
    {
        if (TryText(">="))
        {
            return ComparisonOp.GreaterOrEqual;
        }

        if (TryText("<="))
        {
            return ComparisonOp.LessOrEqual;
        }

        if (TryText("=="))
        {
            return ComparisonOp.Equal;
        }

        if (TryText("!="))
        {
            return ComparisonOp.NotEqual;
        }

        if (TryText(">"))
        {
            return ComparisonOp.Greater;
        }

        if (TryText("<"))
        {
            return ComparisonOp.Less;
        }

        throw Error(Peek() == '[' ? "a comparison (>, <, >=, <=, ==, !=); a window [..] needs a function such as avg(...)" : "a comparison operator (>, <, >=, <=, ==, !=)");
    }

    private double ParseNumber()
    {
        var start = position;
        if (Peek() is '-' or '+')
        {
            position++;
        }

        while (position < text.Length && (char.IsAsciiDigit(text[position]) || text[position] == '.' ||
               ((text[position] is 'e' or 'E') && position > start) || ((text[position] is '-' or '+') && position > start && text[position - 1] is 'e' or 'E')))
        {
            position++;
        }

        if (!double.TryParse(text.AsSpan(start, position - start), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            position = start;
            throw Error("a number");
        }

        return value;
    }

    private TimeSpan ParseDuration()
    {
        var start = position;
        while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] == '-'))
        {
            position++;
        }

        var token = text[start..position];
        var duration = PromDuration.TryParse(token, out var error);
        if (duration is null)
        {
            position = start;
            throw Error(error!);
        }

        if (duration <= TimeSpan.Zero)
        {
            position = start;
            throw Error("a window longer than zero");
        }

        return duration.Value;
    }

    private string ParseString()
    {
        if (Peek() is not ('"' or '\''))
        {
            throw Error("a quoted label value");
        }

        var quote = text[position++];
        var value = new StringBuilder();
        while (position < text.Length && text[position] != quote)
        {
            if (text[position] == '\\' && position + 1 < text.Length)
            {
                position++;
                value.Append(text[position] switch { 'n' => '\n', 't' => '\t', var c => c });
            }
            else
            {
                value.Append(text[position]);
            }

            position++;
        }

        if (position >= text.Length)
        {
            throw Error($"a closing {quote}");
        }

        position++;
        return value.ToString();
    }

    private string Identifier(string expected)
    {
        var start = position;
        while (position < text.Length && (char.IsAsciiLetter(text[position]) || text[position] is '_' or ':' || (position > start && char.IsAsciiDigit(text[position]))))
        {
            position++;
        }

        return position > start ? text[start..position] : throw Error(expected);
    }

    private bool TryKeyword(string keyword)
    {
        SkipSpace();
        if (string.CompareOrdinal(text, position, keyword, 0, keyword.Length) == 0 &&
            (position + keyword.Length == text.Length || !(char.IsAsciiLetterOrDigit(text[position + keyword.Length]) || text[position + keyword.Length] == '_')))
        {
            position += keyword.Length;
            return true;
        }

        return false;
    }

    private bool TryText(string token)
    {
        if (string.CompareOrdinal(text, position, token, 0, token.Length) == 0)
        {
            position += token.Length;
            return true;
        }

        return false;
    }

    private void Expect(char c, string expected)
    {
        SkipSpace();
        if (Peek() != c)
        {
            throw Error(expected);
        }

        position++;
    }

    private char Peek() => position < text.Length ? text[position] : '\0';

    private void SkipSpace()
    {
        while (position < text.Length && char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }

    private ConditionSyntaxException Error(string expected, string? why = null)
    {
        var found = position < text.Length ? $"'{text[position]}'" : "end of condition";
        return new ConditionSyntaxException(position + 1, expected, $"column {position + 1}: expected {expected}, found {found}{(why is null ? "" : ": " + why)}");
    }
}
