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

    [Fact]
    public async Task A_promql_rule_keeps_one_alert_per_result_series_with_its_own_timer_labels_and_resolution()
    {
        // The query answers are scripted here; PrometheusQueryTests drives the same path against a real prometheus.
        var query = new ScriptedQuery();
        var store = new InMemoryAlertStateStore();
        var rule = Rule("acme", "NodeHot", "cpu_usage > 1000", TimeSpan.FromSeconds(30)) with
        {
            PromQL = "node_cpu > 80",
            Labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("team", "ops"), KeyValuePair.Create("where", "{{ $labels.node }}")]),
            Annotations = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("summary", "{{ $labels.__name__ }} on {{ $labels.node }} at {{ $value }}")]),
        };
        async Task<IReadOnlyList<NotifiableAlert>> At(int seconds, params (string Node, double Value)[] series)
        {
            query.Answer = [.. series.Select(s => new InstantSample(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal,
                [KeyValuePair.Create("__name__", "node_cpu"), KeyValuePair.Create("node", s.Node), KeyValuePair.Create("team", "dev"), KeyValuePair.Create("tenant", "elsewhere")]), s.Value))];
            return await new AlertEvaluator(new ListSource(), store, new RecordingSink(), query).EvaluateAsync("acme", [rule], T0.AddSeconds(seconds), default);
        }

        Assert.Empty(await At(0, ("a", 90)));
        Assert.Empty(await At(15, ("a", 91), ("b", 95)));
        // a has held for 30 s and fires; b, which appeared later, is still pending on its own timer.
        var a = Assert.Single(await At(30, ("a", 92), ("b", 96)));
        Assert.Equal(
            ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("alertname", "NodeHot"), KeyValuePair.Create("node", "a"),
                KeyValuePair.Create("severity", "critical"), KeyValuePair.Create("team", "ops"), KeyValuePair.Create("tenant", "acme"), KeyValuePair.Create("where", "a")]),
            a.Labels);
        Assert.Equal("node_cpu on a at 92", a.Annotations["summary"]);
        Assert.Equal(92, a.Value);
        Assert.Equal(2, (await store.LoadAsync("acme", default)).Count);

        // Both fire; then a's series disappears: a resolves (published once, resolved) while b keeps firing.
        Assert.Equal(["a", "b"], (await At(45, ("a", 93), ("b", 97))).Select(n => n.Labels["node"]));
        var cycle = await At(60, ("b", 98));
        Assert.Equal([("a", true, 93.0), ("b", false, 98.0)], cycle.Select(n => (n.Labels["node"], n.Resolved, n.Value!.Value)));
        Assert.Equal([("b", false)], (await At(75, ("b", 99))).Select(n => (n.Labels["node"], n.Resolved)));

        // Two series that become one label set once the rule's labels apply fail the rule, as in Prometheus; states stay.
        var before = await store.LoadAsync("acme", default);
        InstantSample Clash(string tenant) => new(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("node", "b"), KeyValuePair.Create("tenant", tenant)]), 1);
        query.Answer = [Clash("x"), Clash("y")];
        var evaluator = new AlertEvaluator(new ListSource(), store, new RecordingSink(), query);
        Assert.Empty(await evaluator.EvaluateAsync("acme", [rule], T0.AddSeconds(90), default));
        Assert.Contains("same labelset", evaluator.Errors["NodeHot"], StringComparison.Ordinal);
        Assert.Equal(before.OrderBy(s => s.Key.Series, StringComparer.Ordinal), (await store.LoadAsync("acme", default)).OrderBy(s => s.Key.Series, StringComparer.Ordinal));

        var transitions = store.History.Select(t => (t.Labels["node"], t.From, t.To, t.At - T0)).ToList();
        Assert.Equal(
            [("a", AlertPhase.Inactive, AlertPhase.Pending, TimeSpan.Zero), ("b", AlertPhase.Inactive, AlertPhase.Pending, TimeSpan.FromSeconds(15)),
             ("a", AlertPhase.Pending, AlertPhase.Firing, TimeSpan.FromSeconds(30)), ("b", AlertPhase.Pending, AlertPhase.Firing, TimeSpan.FromSeconds(45)),
             ("a", AlertPhase.Firing, AlertPhase.Inactive, TimeSpan.FromSeconds(60))],
            transitions);
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

    private sealed class ScriptedQuery : IInstantQuery
    {
        public IReadOnlyList<InstantSample> Answer { get; set; } = [];

        public Task<IReadOnlyList<InstantSample>> QueryAsync(string promql, DateTimeOffset at, CancellationToken cancellationToken) => Task.FromResult(Answer);
    }
}
