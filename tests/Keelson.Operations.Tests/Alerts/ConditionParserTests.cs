using Keelson.Operations.Alerts;

namespace Keelson.Operations.Tests.Alerts;

/// <summary>The condition language: PromQL translation and errors that name the column and what was expected.</summary>
public sealed class ConditionParserTests
{
    [Theory]
    [InlineData("cpu_usage > 80", "cpu_usage > 80")]
    [InlineData("avg(cpu_usage[5m]) > 80", "avg_over_time(cpu_usage[5m]) > 80")]
    [InlineData("max(memory_usage[1h30m]) >= 90.5", "max_over_time(memory_usage[1h30m]) >= 90.5")]
    [InlineData("rate(requests_total[15s]) > 2", "rate(requests_total[15s]) > 2")]
    [InlineData("count(cpu_usage[90s]) < 3", "count_over_time(cpu_usage[1m30s]) < 3")]
    [InlineData("cpu_usage{service=\"callbot\", tenant=~\"a.*\"} > 80", "cpu_usage{service=\"callbot\",tenant=~\"a.*\"} > 80")]
    [InlineData("cpu_usage > 80 or memory_usage > 1 and cpu_usage < 99", "(cpu_usage > 80) or ((memory_usage > 1) and (cpu_usage < 99))")]
    [InlineData("(cpu_usage > 80 or memory_usage > 1) and cpu_usage < 99", "((cpu_usage > 80) or (memory_usage > 1)) and (cpu_usage < 99)")]
    public void Translates_to_PromQL(string condition, string promql) =>
        Assert.Equal(promql, ConditionParser.Parse(condition).ToPromQL());

    [Theory]
    [InlineData("cpu_usage >", 12, "a number")]
    [InlineData("cpu_usage 80", 11, "comparison operator")]
    [InlineData("avg(cpu_usage[5x]) > 80", 15, "unit")]
    [InlineData("avg(cpu_usage[-1m]) > 80", 15, "number")]
    [InlineData("avg(cpu_usage[0s]) > 80", 15, "longer than zero")]
    [InlineData("avg(cpu_usage) > 80", 14, "'['")]
    [InlineData("median(cpu_usage[5m]) > 80", 1, "one of avg")]
    [InlineData("cpu_usage > 80 and", 19, "a metric name")]
    [InlineData("(cpu_usage > 80", 16, "')'")]
    [InlineData("cpu_usage{service=callbot} > 80", 19, "quoted label value")]
    [InlineData("cpu_usage > 80 80", 16, "'and', 'or'")]
    public void Errors_carry_the_column_and_what_was_expected(string condition, int column, string expected)
    {
        var error = Assert.Throws<ConditionSyntaxException>(() => ConditionParser.Parse(condition));
        Assert.Equal(column, error.Column);
        Assert.Contains(expected, error.Expected, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("15s", 15)]
    [InlineData("1d", 86400)]
    public void Durations_parse_like_Prometheus(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), PromDuration.Parse(text));

    [Theory]
    [InlineData("5x")]
    [InlineData("-1m")]
    [InlineData("30m1h")]
    [InlineData("")]
    public void Bad_durations_are_rejected(string text) => Assert.Throws<FormatException>(() => PromDuration.Parse(text));

    [Theory]
    [InlineData(1000000.0, "1e+06")]
    [InlineData(123456.0, "123456")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(85.5, "85.5")]
    [InlineData(-2.5e-7, "-2.5e-07")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    public void Values_format_as_Go_prints_them(double value, string text) => Assert.Equal(text, GoFloat.Format(value));

    [Fact]
    public void Unknown_template_actions_are_rejected_with_the_column()
    {
        Assert.Null(AlertTemplate.Validate("cpu {{ $value }} on {{ $labels.tenant }}"));
        Assert.Contains("column 5", AlertTemplate.Validate("cpu {{ humanize $value }}"), StringComparison.Ordinal);
        Assert.Contains("closing", AlertTemplate.Validate("cpu {{ $value"), StringComparison.Ordinal);
    }
}
