using System.Collections.Concurrent;
using Keelson.Operations.Alerts;
using Keelson.Operations.Notifications;
using Keelson.Server.Monitoring;
using Microsoft.Extensions.Options;

namespace Keelson.Server.Alerts;

/// <summary>
/// The hosted rule evaluation: every <see cref="AlertSettings.Tick"/>, in each database (demo, production), each tenant
/// whose interval has passed is evaluated by whichever replica holds its lease (<see cref="SqlAlertRuleStore.TryLeaseAsync"/>),
/// over the same sample source the monitoring queries read; states go to the database, alerts to that database's
/// notification pipeline (<see cref="TenantNotifications.Sink"/>: grouping, silences, inhibition, the durable outbox).
/// Time comes from the registered <see cref="TimeProvider"/>, so tests drive evaluation instants.
/// </summary>
public sealed partial class AlertEvaluation(
    TenantDatabases databases, TenantMonitoring monitoring, TenantNotifications notifications, IOptions<ServerOptions> options, TimeProvider time,
    ILogger<AlertEvaluation> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<(bool Demo, string Tenant), DateTimeOffset> evaluated = new();
    private readonly ConcurrentDictionary<(bool Demo, string Tenant), bool> held = new();

    /// <summary>This replica's lease owner name: host, process and a random part, unique across restarts.</summary>
    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    private AlertSettings Settings => options.Value.Alerts;

    /// <summary>The evaluation instant this replica last evaluated the tenant at, if it did.</summary>
    public DateTimeOffset? EvaluatedAt(bool isDemo, string tenantId) => evaluated.TryGetValue((isDemo, tenantId), out var at) ? at : null;

    /// <summary>One pass: evaluates the due tenants whose lease this replica holds.</summary>
    public async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var demo in new[] { true, false })
        {
            try
            {
                await EvaluateDueAsync(demo, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
            {
                // The database may be down for a moment; the next tick tries again.
                LogCycleFailed(e, demo ? "demo" : "production");
            }
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Settings.Evaluate)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
                await Task.Delay(Settings.Tick, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);

        // Given up at once so another replica takes the tenants over without waiting for the leases to run out.
        foreach (var (demo, tenant) in held.Keys)
        {
            try
            {
                await databases.For(demo).AlertRules.ReleaseLeaseAsync(tenant, Owner, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogCycleFailed(e, demo ? "demo" : "production");
            }
        }

        held.Clear();
    }

    private async Task EvaluateDueAsync(bool demo, CancellationToken cancellationToken)
    {
        // Until the notification pipeline runs there is nowhere to publish to; evaluating anyway would lose transitions.
        if (!databases.IsOpen || notifications.Sink(demo) is not { } sink)
        {
            return;
        }

        var stores = databases.For(demo);
        foreach (var tenant in await stores.AlertRules.TenantsAsync(cancellationToken).ConfigureAwait(false))
        {
            var now = time.GetUtcNow();
            var lease = await stores.AlertRules.TryLeaseAsync(tenant, Owner, now, now + Settings.LeaseDuration, cancellationToken).ConfigureAwait(false);
            if (!lease.Held)
            {
                held.TryRemove((demo, tenant), out _);
                continue;
            }

            held[(demo, tenant)] = true;
            if (lease.EvaluatedAt is { } last && now - last < lease.Interval)
            {
                continue;
            }

            var rules = new List<AlertRule>();
            foreach (var record in await stores.AlertRules.ListAsync(tenant, cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    rules.Add(record.ToRule());
                }
                catch (Exception e) when (e is FormatException or ArgumentException)
                {
                    // Checked when stored; only a rule written by an older, laxer version lands here.
                    LogRuleUnusable(tenant, record.Name, e.Message);
                }
            }

            var evaluator = new AlertEvaluator(monitoring.Source(demo), new PublishedAlertStates(stores.AlertStates, notifications.Feed, demo), sink, monitoring.Instant(demo));
            var published = await evaluator.EvaluateAsync(tenant, rules, now, cancellationToken).ConfigureAwait(false);
            foreach (var (rule, error) in evaluator.Errors)
            {
                LogRuleUnusable(tenant, rule, error);
            }

            await stores.AlertRules.MarkEvaluatedAsync(tenant, Owner, now, cancellationToken).ConfigureAwait(false);
            evaluated[(demo, tenant)] = now;
            LogEvaluated(tenant, rules.Count, published.Count, now);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert evaluation in the {Mode} database failed; trying again")]
    private partial void LogCycleFailed(Exception exception, string mode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert rule {RuleName} of {TenantId} cannot be evaluated: {Reason}")]
    private partial void LogRuleUnusable(string tenantId, string ruleName, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Evaluated {Rules} alert rules of {TenantId} at {At:O}: {Alerts} alerts published")]
    private partial void LogEvaluated(string tenantId, int rules, int alerts, DateTimeOffset at);
}
