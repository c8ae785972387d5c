using System.Collections.Immutable;
using Keelson.Operations.Alerts;
using Keelson.Operations.Monitoring;
using Keelson.Operations.Notifications;

namespace Keelson.Operations.Tests.Alerts;

/// <summary>The evaluation cycle: state machine over stored samples, persisted states surviving a restart, history, and the sink.</summary>
public sealed class AlertEvaluatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Pending_becomes_firing_after_for_across_a_restart_then_resolves_once()
    {
        var source = new ListSource();
        for (var s = 0; s <= 120; s += 15)
        {
            source.Samples.Add(MetricSample.Of("acme", "cpu_usage", 95, T0.AddSeconds(s)));
            source.Samples.Add(MetricSample.Of("other", "cpu_usage", 95, T0.AddSeconds(s)));
        }

        var store = new InMemoryAlertStateStore();
        var sink = new RecordingSink();
        var rule = Rule("acme", "HighCpu", "avg(cpu_usage[1m]) > 90", TimeSpan.FromMinutes(1));
        var webhook = Assert.IsType<WebhookReceiver>(Assert.Single(rule.Actions));

        Assert.Empty(await new AlertEvaluator(source, store, sink).EvaluateAsync("acme", [rule], T0, default));
        Assert.Empty(await new AlertEvaluator(source, store, sink).EvaluateAsync("acme", [rule], T0.AddSeconds(30), default));
        // A new evaluator (a restarted server) reads the stored ActiveAt, so the for timer is not reset.
        var firing = Assert.Single(await new AlertEvaluator(source, store, sink).EvaluateAsync("acme", [rule], T0.AddSeconds(60), default));
        Assert.Equal("HighCpu", firing.Labels["alertname"]);
        Assert.Equal("acme", firing.Labels["tenant"]);
        Assert.Equal("critical", firing.Labels["severity"]);
        Assert.Equal("cpu 95 on acme", firing.Annotations["summary"]);
        Assert.Equal(95, firing.Value);
        Assert.Null(firing.EndsAt);
        Assert.Equal(webhook, Assert.Single(firing.Receivers));

        // Samples stop at 120 s; avg over 1m is empty from 181 s on, so the alert resolves and is published resolved once.
        var resolved = Assert.Single(await new AlertEvaluator(source, store, sink).EvaluateAsync("acme", [rule], T0.AddSeconds(195), default));
        Assert.True(resolved.Resolved);
        Assert.Empty(await new AlertEvaluator(source, store, sink).EvaluateAsync("acme", [rule], T0.AddSeconds(210), default));

        Assert.Equal(
            [(AlertPhase.Inactive, AlertPhase.Pending), (AlertPhase.Pending, AlertPhase.Firing), (AlertPhase.Firing, AlertPhase.Inactive)],
            store.History.Select(t => (t.From, t.To)));
        Assert.All(store.History, t => Assert.Equal("acme", t.TenantId));
        Assert.Equal(5, sink.Batches.Count);
    }

    [Fact]
    public async Task Disabled_rules_and_other_tenants_series_are_ignored()
    {
        var source = new ListSource();
        source.Samples.Add(MetricSample.Of("other", "cpu_usage", 95, T0));
        var store = new InMemoryAlertStateStore();
        var rule = Rule("acme", "HighCpu", "cpu_usage > 90", TimeSpan.Zero);
        Assert.Empty(await new AlertEvaluator(source, store, new RecordingSink()).EvaluateAsync("acme", [rule], T0, default));
        source.Samples.Add(MetricSample.Of("acme", "cpu_usage", 95, T0));
        Assert.Empty(await new AlertEvaluator(source, store, new RecordingSink()).EvaluateAsync("acme", [rule with { Enabled = false }], T0, default));
        Assert.Single(await new AlertEvaluator(source, store, new RecordingSink()).EvaluateAsync("acme", [rule], T0, default));
    }

    private static AlertRule Rule(string tenant, string name, string condition, TimeSpan holdFor) =>
        new(tenant, name, condition, ConditionParser.Parse(condition), holdFor, TimeSpan.Zero, "critical",
            ImmutableSortedDictionary<string, string>.Empty,
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("summary", "cpu {{ $value }} on {{ $labels.tenant }}")]),
            true, [new WebhookReceiver(new Uri("https://hooks.example.test/secret-token"))]);

    private sealed class ListSource : IMetricSampleSource
    {
        public List<MetricSample> Samples { get; } = [];

        public Task<IReadOnlyList<MetricSample>> ReadAsync(MetricSelector selector, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<MetricSample>>(Samples
                .Where(s => s.TenantId == selector.TenantId && s.Timestamp >= selector.Start && s.Timestamp <= selector.End && (selector.Metrics.Count == 0 || selector.Metrics.Contains(s.MetricName)))
                .OrderBy(s => s.MetricName, StringComparer.Ordinal).ThenBy(s => s.Timestamp).ToList());
    }

    private sealed class RecordingSink : IAlertSink
    {
        public List<IReadOnlyList<NotifiableAlert>> Batches { get; } = [];

        public ValueTask PublishAsync(IReadOnlyList<NotifiableAlert> alerts, CancellationToken cancellationToken)
        {
            Batches.Add(alerts);
            return ValueTask.CompletedTask;
        }
    }
}
