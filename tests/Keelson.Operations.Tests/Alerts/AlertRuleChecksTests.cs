using Keelson.Operations.Alerts;
using Keelson.Operations.Notifications;

namespace Keelson.Operations.Tests.Alerts;

/// <summary>Unknown metrics with their column, the seed's actions as receivers, and URLs shown without secrets.</summary>
public sealed class AlertRuleChecksTests
{
    [Fact]
    public void Unknown_metric_names_carry_their_column()
    {
        var problem = AlertRuleChecks.UnknownMetric(ConditionParser.Parse("cpu_usage > 1 and avg(cpu_usgae[5m]) > 2"), ["cpu_usage", "memory_usage"]);
        Assert.NotNull(problem);
        Assert.Equal(23, problem.Column);
        Assert.Contains("cpu_usgae", problem.Detail, StringComparison.Ordinal);
        Assert.Null(AlertRuleChecks.UnknownMetric(ConditionParser.Parse("cpu_usage > 1"), ["cpu_usage"]));
    }

    [Fact]
    public void Seed_actions_map_to_receivers_and_reject_non_http_urls()
    {
        Assert.Equal(new WebhookReceiver(new Uri("https://example.test/hook"), "POST"), AlertRuleChecks.ToReceiver("webhook", "https://example.test/hook", "post", null));
        Assert.IsType<SlackReceiver>(AlertRuleChecks.ToReceiver("slack", "https://hooks.slack.com/services/T/B/x", null, null));
        Assert.Equal("ops@example.test", Assert.Single(Assert.IsType<EmailReceiver>(AlertRuleChecks.ToReceiver("email", null, null, ["ops@example.test"])).Recipients));
        Assert.Throws<ArgumentException>(() => AlertRuleChecks.ToReceiver("webhook", "file:///etc/passwd", null, null));
        Assert.Throws<ArgumentException>(() => AlertRuleChecks.ToReceiver("slack", "ftp://hooks.slack.com/x", null, null));
        Assert.Throws<ArgumentException>(() => AlertRuleChecks.ToReceiver("pager", "https://x.test", null, null));
    }

    [Fact]
    public void Urls_are_shown_as_scheme_and_host_only() =>
        Assert.Equal("https://hooks.slack.com/…", AlertRuleChecks.Redact(new Uri("https://hooks.slack.com/services/T000/B000/secret-token")));
}
