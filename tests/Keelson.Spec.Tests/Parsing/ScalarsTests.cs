using Keelson.Spec.Parsing;
using Keelson.Spec.Schema;

namespace Keelson.Spec.Tests.Parsing;

public sealed class ScalarsTests
{
    [Theory]
    [InlineData("150ms", 150)]
    [InlineData("20s", 20_000)]
    [InlineData("5m", 300_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("1d", 86_400_000)]
    public void Durations_parse(string text, double milliseconds)
    {
        Assert.True(Scalars.TryDuration(text, out var d));
        Assert.Equal(milliseconds, d.TotalMilliseconds);
    }

    [Theory]
    [InlineData("99.9%", 99.9)]
    [InlineData("99.95", 99.95)]
    public void Percentages_parse_with_or_without_the_sign(string text, double expected)
    {
        Assert.True(Scalars.TryPercent(text, out var p));
        Assert.Equal(expected, p);
    }

    [Theory]
    [InlineData("30 16 * * 1-5")]
    [InlineData("*/15 * * * *")]
    [InlineData("0 2 1,15 * *")]
    [InlineData("@daily")]
    public void Valid_cron_schedules_pass(string schedule) => Assert.Null(Scalars.Check(ScalarType.Cron, schedule));

    [Theory]
    [InlineData("* * * *", "found 4")]
    [InlineData("61 * * * *", "minute field allows 0–59")]
    [InlineData("0 0 * 13 *", "month field allows 1–12")]
    [InlineData("@sometimes", "@daily")]
    [InlineData("a * * * *", "not a number")]
    public void Invalid_cron_schedules_say_why(string schedule, string reason) =>
        Assert.Contains(reason, Scalars.Check(ScalarType.Cron, schedule), StringComparison.Ordinal);

    [Theory]
    [InlineData(ScalarType.DnsLabel, "my-app", true)]
    [InlineData(ScalarType.DnsLabel, "-app", false)]
    [InlineData(ScalarType.DnsLabel, "app_1", false)]
    [InlineData(ScalarType.Hostname, "api.example.com", true)]
    [InlineData(ScalarType.Hostname, "API.example.com", false)]
    [InlineData(ScalarType.LabelKey, "app.kubernetes.io/name", true)]
    [InlineData(ScalarType.LabelKey, "/name", false)]
    [InlineData(ScalarType.Image, "registry.example.com:5000/team/app:1.2.3", true)]
    [InlineData(ScalarType.Image, "Team/App", false)]
    [InlineData(ScalarType.EnvName, "DATABASE_URL", true)]
    [InlineData(ScalarType.EnvName, "1BAD", false)]
    [InlineData(ScalarType.UrlPath, "/v1/quant", true)]
    [InlineData(ScalarType.UrlPath, "v1", false)]
    public void Name_syntaxes_follow_kubernetes(ScalarType type, string text, bool valid) =>
        Assert.Equal(valid, Scalars.Check(type, text) is null);

    [Theory]
    [InlineData("sesions", "sessions")]
    [InlineData("replcias", "replicas")]
    [InlineData("zzz", null)]
    public void Suggestions_find_near_misses_only(string input, string? expected) =>
        Assert.Equal(expected, Suggestions.Closest(input, ["sessions", "replicas", "image"]));
}
