using Keelson.Operations.Alerts;
using Keelson.Operations.Deployments;
using Prometheus;

namespace Keelson.Server;

/// <summary>
/// The server's own Prometheus registry: HTTP request counts and latencies by route, .NET runtime figures, and
/// tenants and deployments by state read from both databases at scrape time. One registry per application (not the
/// process-wide default) so several servers in one test process do not overwrite each other's figures.
/// </summary>
public sealed class ServerMetrics
{
    private readonly Gauge tenants;
    private readonly Gauge activeTenants;
    private readonly Gauge deployments;
    private readonly Gauge alerts;
    private readonly Gauge alertsForState;
    private readonly Gauge pendingJobs;
    private readonly Gauge admittedJobs;
    private readonly Gauge runningJobs;

    /// <summary>Creates the registry and its gauges.</summary>
    public ServerMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);
        tenants = factory.CreateGauge("keelson_tenants", "Tenants in the database.", "mode");
        activeTenants = factory.CreateGauge("keelson_tenants_active", "Tenants whose status is running.", "mode");
        deployments = factory.CreateGauge("keelson_deployments", "Deployments by state.", "mode", "state");

        // Prometheus's own names for rule states, so dashboards and alerts written for Prometheus read Keelson's too.
        alerts = factory.CreateGauge("ALERTS", "Pending and firing alerts of Keelson's alert rules (1 per alert), as Prometheus exports them.",
            "alertname", "alertstate", "tenant", "severity", "mode");
        alertsForState = factory.CreateGauge("ALERTS_FOR_STATE", "When each pending or firing alert became active, in Unix seconds (Prometheus's ALERTS_FOR_STATE).",
            "alertname", "tenant", "severity", "mode");

        // Queue length for scaling a queue worker on it (KEDA, an HPA External metric), as seed 001 scales on its queue.
        pendingJobs = factory.CreateGauge("keelson_queue_pending_jobs", "Jobs waiting for admission, per tenant and queue.", "tenant", "queue", "mode");
        admittedJobs = factory.CreateGauge("keelson_queue_admitted_jobs", "Jobs admitted whose Kubernetes Job is being created, per tenant and queue.", "tenant", "queue", "mode");
        runningJobs = factory.CreateGauge("keelson_queue_running_jobs", "Jobs whose Kubernetes Job runs, per tenant and queue.", "tenant", "queue", "mode");
    }

    /// <summary>The registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Reads the counts from <paramref name="databases"/> (and the stack queues' from <paramref name="stackQueues"/>) before every scrape.</summary>
    public void Observe(TenantDatabases databases, StackQueueCounts? stackQueues = null)
    {
        ArgumentNullException.ThrowIfNull(databases);
        Registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            if (!databases.IsOpen)
            {
                return;
            }

            var active = new List<(string Mode, ActiveAlertState Alert)>();
            var queues = new List<(string Mode, string Tenant, string Queue, Operations.Jobs.JobState State, long Count)>();
            foreach (var (mode, demo) in new[] { ("demo", true), ("production", false) })
            {
                var stores = databases.For(demo);
                var page = await stores.Tenants.ListAsync(0, 1, cancellationToken).ConfigureAwait(false);
                tenants.WithLabels(mode).Set(page.TotalCount);
                activeTenants.WithLabels(mode).Set(page.ActiveCount);
                var counts = await stores.Deployments.CountByStateAsync(cancellationToken).ConfigureAwait(false);
                foreach (var state in Enum.GetValues<DeploymentState>())
                {
                    deployments.WithLabels(mode, Operations.Storage.WireName.Of(state)).Set(counts.GetValueOrDefault(state));
                }

                active.AddRange((await stores.AlertRules.ActiveAsync(null, cancellationToken).ConfigureAwait(false)).Select(a => (mode, a)));
                foreach (var (tenant, queue) in await stores.Jobs.AllQueuesAsync(cancellationToken).ConfigureAwait(false))
                {
                    queues.Add((mode, tenant, queue, Operations.Jobs.JobState.Pending, 0));
                }

                queues.AddRange((await stores.Jobs.CountsAsync(cancellationToken).ConfigureAwait(false)).Select(c => (mode, c.TenantId, c.Queue, c.State, c.Count)));
            }

            // Stack-declared queues: waiting Jobs are suspended on the cluster, admitted ones run (there is no
            // separate "admitted, being created" state: admission unsuspends the existing Job).
            foreach (var (mode, tenant, queue, pending, running) in stackQueues?.All() ?? [])
            {
                queues.Add((mode, tenant, queue, Operations.Jobs.JobState.Pending, pending));
                queues.Add((mode, tenant, queue, Operations.Jobs.JobState.Running, running));
            }

            SetAlerts(active);
            SetQueues(queues);
        });
    }

    // Every known queue gets all three series (zero included); series of deleted queues without jobs go away.
    private void SetQueues(List<(string Mode, string Tenant, string Queue, Operations.Jobs.JobState State, long Count)> counts)
    {
        var keys = counts.Select(c => (c.Mode, c.Tenant, c.Queue)).Distinct().ToList();
        var current = keys.Select(k => string.Join('\u0001', k.Tenant, k.Queue, k.Mode)).ToHashSet(StringComparer.Ordinal);
        foreach (var gauge in new[] { pendingJobs, admittedJobs, runningJobs })
        {
            foreach (var labels in gauge.GetAllLabelValues().Where(l => !current.Contains(string.Join('\u0001', l))).ToList())
            {
                gauge.RemoveLabelled(labels);
            }
        }

        foreach (var (mode, tenant, queue) in keys)
        {
            long Count(Operations.Jobs.JobState s) => counts.Where(c => c.Mode == mode && c.Tenant == tenant && c.Queue == queue && c.State == s).Sum(c => c.Count);
            pendingJobs.WithLabels(tenant, queue, mode).Set(Count(Operations.Jobs.JobState.Pending));
            admittedJobs.WithLabels(tenant, queue, mode).Set(Count(Operations.Jobs.JobState.Admitted));
            runningJobs.WithLabels(tenant, queue, mode).Set(Count(Operations.Jobs.JobState.Running));
        }
    }

    // Read from the database, not from this replica's evaluations: every replica shows every tenant's alerts, whoever evaluates them.
    private void SetAlerts(List<(string Mode, ActiveAlertState Alert)> active)
    {
        var current = active.Select(a => new[] { a.Alert.RuleName, a.Alert.State.Phase.ToString().ToLowerInvariant(), a.Alert.TenantId, a.Alert.Severity, a.Mode }).ToList();
        var keys = current.Select(l => string.Join('\u0001', l)).ToHashSet(StringComparer.Ordinal);
        foreach (var labels in alerts.GetAllLabelValues().Where(l => !keys.Contains(string.Join('\u0001', l))).ToList())
        {
            alerts.RemoveLabelled(labels);
        }

        var forKeys = current.Select(l => string.Join('\u0001', l[0], l[2], l[3], l[4])).ToHashSet(StringComparer.Ordinal);
        foreach (var labels in alertsForState.GetAllLabelValues().Where(l => !forKeys.Contains(string.Join('\u0001', l))).ToList())
        {
            alertsForState.RemoveLabelled(labels);
        }

        foreach (var ((mode, alert), labels) in active.Zip(current))
        {
            alerts.WithLabels(labels).Set(1);
            alertsForState.WithLabels(alert.RuleName, alert.TenantId, alert.Severity, mode).Set(alert.State.ActiveAt.ToUnixTimeMilliseconds() / 1000.0);
        }
    }
}
