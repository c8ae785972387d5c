using System.Collections.Concurrent;
using System.Collections.Immutable;
using Keelson.Operations.Monitoring;
using Keelson.Operations.Notifications;

namespace Keelson.Operations.Alerts;

/// <summary>One state change of one rule's alert, kept as history; <paramref name="Series"/> is the alert's <see cref="AlertKey.Series"/> (empty for a condition rule).</summary>
public sealed record AlertTransition(string TenantId, string RuleName, DateTimeOffset At, AlertPhase From, AlertPhase To, double Value, ImmutableSortedDictionary<string, string> Labels, string Series = "");

/// <summary>Where rule states live between evaluations, so a restart keeps pending <c>for</c> timers (Prometheus's ALERTS_FOR_STATE).</summary>
public interface IAlertStateStore
{
    /// <summary>The tenant's states by rule and series.</summary>
    Task<IReadOnlyDictionary<AlertKey, AlertState>> LoadAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Replaces the tenant's states and appends the cycle's transitions.</summary>
    Task SaveAsync(string tenantId, IReadOnlyDictionary<AlertKey, AlertState> states, IReadOnlyList<AlertTransition> transitions, CancellationToken cancellationToken);
}

/// <summary>States and history in memory: for tests and single-process use.</summary>
public sealed class InMemoryAlertStateStore : IAlertStateStore
{
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<AlertKey, AlertState>> states = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<AlertTransition> history = new();

    /// <summary>Every transition saved, oldest first.</summary>
    public IReadOnlyList<AlertTransition> History => [.. history];

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<AlertKey, AlertState>> LoadAsync(string tenantId, CancellationToken cancellationToken) =>
        Task.FromResult(states.TryGetValue(tenantId, out var s) ? s : ImmutableDictionary<AlertKey, AlertState>.Empty);

    /// <inheritdoc />
    public Task SaveAsync(string tenantId, IReadOnlyDictionary<AlertKey, AlertState> states, IReadOnlyList<AlertTransition> transitions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transitions);
        this.states[tenantId] = states.ToImmutableDictionary();
        foreach (var transition in transitions)
        {
            history.Enqueue(transition);
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// Evaluates one tenant's enabled rules at one instant: reads the samples once through <see cref="IMetricSampleSource"/>,
/// advances each rule's Prometheus state machine, saves states and transitions, and publishes the firing alerts (and each
/// newly resolved one) to the <see cref="IAlertSink"/>.
/// </summary>
public sealed class AlertEvaluator(IMetricSampleSource samples, IAlertStateStore store, IAlertSink sink, IInstantQuery? prometheus = null)
{
    /// <summary>Runs one evaluation cycle of <paramref name="tenantId"/> at <paramref name="at"/>; returns the alerts published.</summary>
    public async Task<IReadOnlyList<NotifiableAlert>> EvaluateAsync(string tenantId, IReadOnlyList<AlertRule> rules, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var enabled = rules.Where(r => r.Enabled && r.TenantId == tenantId).ToList();
        var previous = await store.LoadAsync(tenantId, cancellationToken).ConfigureAwait(false);
        var series = new Dictionary<string, IReadOnlyList<MetricSample>>(StringComparer.Ordinal);
        if (enabled.Count > 0)
        {
            var reach = enabled.Max(r => ConditionEvaluator.Reach(r.Condition));
            var names = enabled.SelectMany(r => r.Condition.Selectors()).Select(s => s.Metric).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var read = await samples.ReadAsync(new MetricSelector(tenantId, at - reach, at, names), cancellationToken).ConfigureAwait(false);
            foreach (var group in read.Where(s => s.TenantId == tenantId).GroupBy(s => s.MetricName, StringComparer.Ordinal))
            {
                series[group.Key] = [.. group.OrderBy(s => s.Timestamp)];
            }
        }

        IReadOnlyList<MetricSample> Read(string metric) => series.TryGetValue(metric, out var list) ? list : [];
        var states = new Dictionary<AlertKey, AlertState>();
        var transitions = new List<AlertTransition>();
        var published = new List<NotifiableAlert>();
        foreach (var rule in enabled)
        {
            var held = previous.Keys.Where(k => k.Rule == rule.Name).ToList();
            var results = await ResultAsync(rule, tenantId, at, Read, cancellationToken).ConfigureAwait(false);
            if (results is null)
            {
                // Prometheus refused or did not answer: as with a rule evaluation error there, the alerts stay where they were.
                foreach (var key in held)
                {
                    states[key] = previous[key];
                }

                continue;
            }

            // Each result series is its own alert with its own timer; a held alert whose series is gone steps with an empty result.
            var present = results.ToDictionary(r => r.Key);
            foreach (var key in held.Union(present.Keys).OrderBy(k => k.Series, StringComparer.Ordinal))
            {
                var before = previous.GetValueOrDefault(key);
                var now = present.GetValueOrDefault(key);
                var step = AlertStateMachine.Step(before, at, now?.Value, rule.For, rule.KeepFiringFor);
                var current = step.State;
                if (current is not null)
                {
                    states[key] = current;
                }

                var value = current?.Value ?? before?.Value ?? 0;
                var labels = key.IsSeries ? key.SeriesLabels : rule.AlertLabels(value);
                if (step.To is { } to && (step.From ?? AlertPhase.Inactive) != to)
                {
                    transitions.Add(new AlertTransition(tenantId, rule.Name, at, step.From ?? AlertPhase.Inactive, to, value, labels, key.Series));
                }

                var resolvedNow = step is { From: AlertPhase.Firing, To: AlertPhase.Inactive };
                if (current is { Phase: AlertPhase.Firing } || (resolvedNow && current is not null))
                {
                    var annotations = rule.AlertAnnotations(value, key.IsSeries ? now?.SeriesLabels ?? key.SeriesLabels : null);
                    published.Add(new NotifiableAlert(tenantId, rule.Name, labels, annotations, current.FiredAt ?? current.ActiveAt,
                        resolvedNow ? current.ResolvedAt : null, value, rule.Actions, NotificationPolicy.Default));
                }
            }
        }

        // Most tenants are quiet most of the time: a cycle that changed nothing writes nothing.
        if (transitions.Count > 0 || states.Count != previous.Count || states.Any(s => !previous.TryGetValue(s.Key, out var was) || was != s.Value))
        {
            await store.SaveAsync(tenantId, states, transitions, cancellationToken).ConfigureAwait(false);
        }

        await sink.PublishAsync(published, cancellationToken).ConfigureAwait(false);
        return published;
    }

    /// <summary>Errors of the last cycle's PromQL rules, by rule name (Prometheus's rule health); empty when all answered.</summary>
    public IReadOnlyDictionary<string, string> Errors => errors;

    private readonly Dictionary<string, string> errors = new(StringComparer.Ordinal);

    /// <summary>
    /// The rule's alerts at <paramref name="at"/> (empty when its condition does not hold), or null when it could not be
    /// evaluated. A condition rule has at most one, for the tenant. A rule with a PromQL <c>expr</c> is asked of Prometheus
    /// when one is configured and, as there, has one alert per result series: the series' labels without <c>__name__</c>,
    /// overridden by the rule's labels, are its identity; two series with the same identity fail the rule.
    /// </summary>
    private async Task<IReadOnlyList<SeriesResult>?> ResultAsync(
        AlertRule rule, string tenantId, DateTimeOffset at, Func<string, IReadOnlyList<MetricSample>> read, CancellationToken cancellationToken)
    {
        if (rule.PromQL is not { } expr || prometheus is null)
        {
            return ConditionEvaluator.Evaluate(rule.Condition, tenantId, at, read) is { } value ? [new SeriesResult(AlertKey.Of(rule.Name), value, null)] : [];
        }

        try
        {
            var result = await prometheus.QueryAsync(expr, at, cancellationToken).ConfigureAwait(false);
            var alerts = new List<SeriesResult>(result.Count);
            var seen = new HashSet<AlertKey>();
            foreach (var sample in result)
            {
                var key = AlertKey.Of(rule.Name, rule.AlertLabels(sample.Value, sample.Labels));
                if (!seen.Add(key))
                {
                    // Prometheus's own words for the same failure.
                    throw new PrometheusQueryException("vector contains metrics with the same labelset after applying alert labels");
                }

                alerts.Add(new SeriesResult(key, sample.Value, sample.Labels));
            }

            errors.Remove(rule.Name);
            return alerts;
        }
        catch (Exception e) when (e is PrometheusQueryException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            errors[rule.Name] = e.Message;
            return null;
        }
    }

    // One alert of a rule in this cycle: its key, value, and the result series' labels (with __name__) for $labels.
    private sealed record SeriesResult(AlertKey Key, double Value, ImmutableSortedDictionary<string, string>? SeriesLabels);
}
