using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Keelson.Operations.Alerts;

/// <summary>A parsed alert condition: comparisons of metric values with thresholds, joined by <c>and</c>/<c>or</c>.</summary>
public abstract record Condition
{
    /// <summary>The equivalent PromQL expression (what goes into a rendered PrometheusRule).</summary>
    public abstract string ToPromQL();

    /// <summary>Every selector in the condition, left to right.</summary>
    public abstract IEnumerable<MetricSelectorExpr> Selectors();
}

/// <summary>Comparison operators; PromQL's filtering (non-<c>bool</c>) forms.</summary>
public enum ComparisonOp
{
    /// <summary><c>&gt;</c></summary>
    Greater,

    /// <summary><c>&lt;</c></summary>
    Less,

    /// <summary><c>&gt;=</c></summary>
    GreaterOrEqual,

    /// <summary><c>&lt;=</c></summary>
    LessOrEqual,

    /// <summary><c>==</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,
}

/// <summary>The seed's window aggregations and their PromQL functions.</summary>
public enum RangeFunction
{
    /// <summary><c>avg_over_time</c></summary>
    Avg,

    /// <summary><c>max_over_time</c></summary>
    Max,

    /// <summary><c>min_over_time</c></summary>
    Min,

    /// <summary><c>sum_over_time</c></summary>
    Sum,

    /// <summary><c>count_over_time</c></summary>
    Count,

    /// <summary><c>rate</c> (extrapolated, counter resets handled)</summary>
    Rate,
}

/// <summary>Label matcher operators.</summary>
public enum MatchOp
{
    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,

    /// <summary><c>=~</c> (fully anchored)</summary>
    Regex,

    /// <summary><c>!~</c> (fully anchored)</summary>
    NotRegex,
}

/// <summary>One label matcher, e.g. <c>service="callbot"</c>.</summary>
public sealed record LabelMatcher(string Label, MatchOp Op, string Value)
{
    private Regex? regex;

    /// <summary>True when a series whose label has <paramref name="actual"/> (empty when absent) is selected, as in Prometheus.</summary>
    public bool Matches(string actual) => Op switch
    {
        MatchOp.Equal => actual == Value,
        MatchOp.NotEqual => actual != Value,
        MatchOp.Regex => Anchored().IsMatch(actual),
        _ => !Anchored().IsMatch(actual),
    };

    internal Regex Anchored() => regex ??= new Regex("^(?:" + Value + ")$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>The PromQL text.</summary>
    public override string ToString() =>
        Label + Op switch { MatchOp.Equal => "=", MatchOp.NotEqual => "!=", MatchOp.Regex => "=~", _ => "!~" } + Quote(Value);

    internal static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", _ => c.ToString() });
        }

        return text.Append('"').ToString();
    }
}

/// <summary>A metric name with optional label matchers; <see cref="Column"/> is where it starts (1-based).</summary>
public sealed record MetricSelectorExpr(string Metric, ImmutableArray<LabelMatcher> Matchers, int Column)
{
    /// <summary>The PromQL text.</summary>
    public override string ToString() =>
        Matchers.IsEmpty ? Metric : Metric + "{" + string.Join(",", Matchers.Select(m => m.ToString())) + "}";
}

/// <summary>What a comparison compares: the latest sample of a series, or a function of a window of it.</summary>
/// <param name="Selector">The series.</param>
/// <param name="Function">Null for the latest sample (within the 5-minute lookback).</param>
/// <param name="Range">The window for <paramref name="Function"/>.</param>
public sealed record Operand(MetricSelectorExpr Selector, RangeFunction? Function, TimeSpan Range)
{
    /// <summary>The PromQL text.</summary>
    public string ToPromQL() => Function switch
    {
        null => Selector.ToString(),
        RangeFunction.Rate => $"rate({Selector}[{PromDuration.Format(Range)}])",
        { } f => $"{f.ToString().ToLowerInvariant()}_over_time({Selector}[{PromDuration.Format(Range)}])",
    };
}

/// <summary><c>operand op threshold</c>.</summary>
public sealed record Comparison(Operand Left, ComparisonOp Op, double Threshold) : Condition
{
    /// <inheritdoc />
    public override string ToPromQL() => $"{Left.ToPromQL()} {OpText(Op)} {FormatNumber(Threshold)}";

    /// <inheritdoc />
    public override IEnumerable<MetricSelectorExpr> Selectors() => [Left.Selector];

    /// <summary>True when <paramref name="value"/> passes the filter (NaN never does, as in Go).</summary>
    public bool Passes(double value) => Op switch
    {
        ComparisonOp.Greater => value > Threshold,
        ComparisonOp.Less => value < Threshold,
        ComparisonOp.GreaterOrEqual => value >= Threshold,
        ComparisonOp.LessOrEqual => value <= Threshold,
        ComparisonOp.Equal => value == Threshold,
        _ => value != Threshold,
    };

    internal static string OpText(ComparisonOp op) => op switch
    {
        ComparisonOp.Greater => ">",
        ComparisonOp.Less => "<",
        ComparisonOp.GreaterOrEqual => ">=",
        ComparisonOp.LessOrEqual => "<=",
        ComparisonOp.Equal => "==",
        _ => "!=",
    };

    internal static string FormatNumber(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary><c>left and right</c> / <c>left or right</c> with PromQL's set semantics (one series per tenant here).</summary>
public sealed record Logical(Condition Left, bool IsAnd, Condition Right) : Condition
{
    /// <inheritdoc />
    public override string ToPromQL() => $"({Left.ToPromQL()}) {(IsAnd ? "and" : "or")} ({Right.ToPromQL()})";

    /// <inheritdoc />
    public override IEnumerable<MetricSelectorExpr> Selectors() => Left.Selectors().Concat(Right.Selectors());
}
