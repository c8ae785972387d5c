using Keelson.Operations.Notifications;
using Keelson.Operations.Tests.Storage;

namespace Keelson.Operations.Tests.Notifications;

/// <summary>Alertmanager's matcher semantics, silence validation, and inhibition of warnings by a firing critical of the same tenant.</summary>
public sealed class MutingTests
{
    private static readonly WebhookReceiver Hook = new(new Uri("http://127.0.0.1:1/secret/hook"));
    private readonly ManualClock clock = new(new DateTimeOffset(2024, 1, 15, 10, 0, 0, TimeSpan.Zero));

    private static LabelMatcher M(string name, MatcherType type, string value) => LabelMatcher.Create(name, type, value).Matcher!;

    [Theory]
    [InlineData(MatcherType.Equal, "web-1", "web-1", true)]
    [InlineData(MatcherType.Equal, "web", "web-1", false)]
    [InlineData(MatcherType.NotEqual, "web-1", "web-2", true)]
    [InlineData(MatcherType.Regex, "web-.*", "web-1", true)]
    [InlineData(MatcherType.Regex, "web", "web-1", false)]
    [InlineData(MatcherType.Regex, "web|db", "db", true)]
    [InlineData(MatcherType.NotRegex, "web-.*", "db-1", true)]
    [InlineData(MatcherType.NotRegex, "web-.*", "web-9", false)]
    public void Matchers_compare_whole_values(MatcherType type, string value, string actual, bool expected) =>
        Assert.Equal(expected, M("instance", type, value).Matches(Alerts.Labels(("instance", actual))));

    [Fact]
    public void A_missing_label_is_the_empty_string()
    {
        var none = Alerts.Labels(("alertname", "X"));
        Assert.True(M("team", MatcherType.Equal, "").Matches(none));
        Assert.True(M("team", MatcherType.NotEqual, "ops").Matches(none));
        Assert.True(M("team", MatcherType.Regex, "ops|").Matches(none));
        Assert.False(M("team", MatcherType.Regex, "ops").Matches(none));
        Assert.True(M("team", MatcherType.Equal, "").MatchesEmpty);
    }

    [Fact]
    public void Bad_matchers_and_windows_are_errors_naming_the_field()
    {
        Assert.Contains("not a label name", LabelMatcher.Create("1abc", MatcherType.Equal, "x").Error);
        Assert.Contains("not a valid regular expression", LabelMatcher.Create("a", MatcherType.Regex, "(").Error);
        var now = clock.GetUtcNow();
        var empty = Silence.Validate([M("team", MatcherType.Regex, ".*")], now, now.AddHours(1), "ops", now);
        Assert.Contains("empty string", Assert.Single(empty["matchers"]));
        var backwards = Silence.Validate([M("tenant", MatcherType.Equal, "acme")], now, now.AddHours(-1), "", now);
        Assert.Contains("after startsAt", Assert.Single(backwards["endsAt"]));
        Assert.Contains("createdBy", backwards.Keys);
        Assert.Empty(Silence.Validate([M("tenant", MatcherType.Equal, "acme")], now, now.AddHours(1), "ops", now));
    }

    [Fact]
    public void Silence_state_follows_its_window()
    {
        var now = clock.GetUtcNow();
        var silence = new Silence("s", [M("tenant", MatcherType.Equal, "acme")], now.AddMinutes(1), now.AddMinutes(2), "ops", "", now);
        Assert.Equal(SilenceState.Pending, silence.StateAt(now));
        Assert.Equal(SilenceState.Active, silence.StateAt(now.AddMinutes(1)));
        Assert.Equal(SilenceState.Expired, silence.StateAt(now.AddMinutes(2)));
        Assert.False(silence.Mutes(Alerts.Labels(("tenant", "acme")), now));
        Assert.True(silence.Mutes(Alerts.Labels(("tenant", "acme")), now.AddMinutes(1)));
    }

    [Fact]
    public async Task Firing_critical_inhibits_warnings_of_the_same_tenant_only()
    {
        var dispatcher = new Dispatcher(clock);
        await dispatcher.PublishAsync(
        [
            Alerts.Make("acme", "HighCpu", "warning", "a", Hook),
            Alerts.Make("acme", "NodeDown", "critical", "a", Hook),
            Alerts.Make("shop", "HighCpu", "warning", "a", Hook),
        ], default);
        clock.Advance(TimeSpan.FromSeconds(30));
        var muting = new AlertMuting([], dispatcher.ActiveAlerts(), clock.GetUtcNow());
        var sent = dispatcher.CollectDue(muting);

        // Grouped by alertname: acme/HighCpu is inhibited entirely, acme/NodeDown and shop/HighCpu go out.
        Assert.Equal(["acme:NodeDown", "shop:HighCpu"], sent.Select(n => $"{n.TenantId}:{n.GroupLabels["alertname"]}").Order());

        // Once the critical resolves, the warning is notified at the next group interval.
        await dispatcher.PublishAsync([Alerts.Make("acme", "NodeDown", "critical", "a", Hook, clock.GetUtcNow())], default);
        clock.Advance(TimeSpan.FromMinutes(5));
        var later = dispatcher.CollectDue(new AlertMuting([], dispatcher.ActiveAlerts(), clock.GetUtcNow()));
        Assert.Contains(later, n => n.TenantId == "acme" && n.GroupLabels["alertname"] == "HighCpu" && n.Status == "firing");
        Assert.Contains(later, n => n.TenantId == "acme" && n.GroupLabels["alertname"] == "NodeDown" && n.Status == "resolved");
    }

    [Fact]
    public async Task Silenced_alerts_are_left_out_and_a_fully_silenced_group_sends_nothing()
    {
        var dispatcher = new Dispatcher(clock);
        await dispatcher.PublishAsync([Alerts.Make("acme", "HighCpu", "warning", "a", Hook), Alerts.Make("acme", "HighCpu", "warning", "b", Hook)], default);
        clock.Advance(TimeSpan.FromSeconds(30));
        var now = clock.GetUtcNow();
        var one = new Silence("s1", [M("instance", MatcherType.Equal, "a")], now.AddMinutes(-1), now.AddHours(1), "ops", "", now);
        var sent = Assert.Single(dispatcher.CollectDue(new AlertMuting([one], dispatcher.ActiveAlerts(), now)));
        Assert.Equal(["b"], sent.Alerts.Select(a => a.Labels["instance"]));

        // Everything silenced: the group ticks but nothing is sent; a silenced critical inhibits nothing either.
        await dispatcher.PublishAsync([Alerts.Make("acme", "HighCpu", "warning", "c", Hook), Alerts.Make("acme", "Down", "critical", "c", Hook)], default);
        clock.Advance(TimeSpan.FromMinutes(5));
        now = clock.GetUtcNow();
        var all = new Silence("s2", [M("tenant", MatcherType.Equal, "acme"), M("severity", MatcherType.Regex, "warning|critical")], now.AddMinutes(-1), now.AddHours(1), "ops", "", now);
        Assert.Empty(dispatcher.CollectDue(new AlertMuting([all], dispatcher.ActiveAlerts(), now)));
        var criticalOnly = new Silence("s3", [M("severity", MatcherType.Equal, "critical")], now.AddMinutes(-1), now.AddHours(1), "ops", "", now);
        Assert.False(new AlertMuting([criticalOnly], dispatcher.ActiveAlerts(), now).IsInhibited(Alerts.Make("acme", "HighCpu", "warning", "c", Hook)));
    }
}
