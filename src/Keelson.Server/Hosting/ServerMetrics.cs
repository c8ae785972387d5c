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
    private static readonly string[] FixedAlertLabels = ["tenant", "severity"];
    private IReadOnlyList<(string Mode, ActiveAlertState Alert)> activeAlerts = [];
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
    private void SetAlerts(List<(string Mode, ActiveAlertState Alert)> active) => activeAlerts = active;

    /// <summary>
    /// Prometheus's own <c>ALERTS</c> and <c>ALERTS_FOR_STATE</c> families for the alerts read at the last scrape, so dashboards
    /// and alerts written for Prometheus read Keelson's too. Written by hand because a PromQL rule's alerts carry their
    /// result series' labels, which differ from alert to alert and a registry gauge's fixed label names cannot hold.
    /// </summary>
    public string AlertsExposition()
    {
        var active = activeAlerts;
        if (active.Count == 0)
        {
            return string.Empty;
        }

        var alerts = new SortedSet<string>(StringComparer.Ordinal);
        var forState = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (mode, alert) in active)
        {
            var labels = new List<KeyValuePair<string, string>> { new("alertname", alert.RuleName), new("alertstate", alert.State.Phase.ToString().ToLowerInvariant()) };
            if (alert.Key.IsSeries)
            {
                // The alert's labels in Prometheus's fixed-first order: tenant and severity, then the series' and the rule's, then mode.
                var series = alert.Key.SeriesLabels;
                labels.AddRange(FixedAlertLabels.Where(series.ContainsKey).Select(n => KeyValuePair.Create(n, series[n])));
                labels.AddRange(series.Where(l => l.Key is not ("alertname" or "alertstate" or "tenant" or "severity" or "mode")));
            }
            else
            {
                labels.Add(new("tenant", alert.TenantId));
                labels.Add(new("severity", alert.Severity));
            }

            labels.Add(new("mode", mode));
            alerts.Add($"ALERTS{Format(labels)} 1");
            forState.Add($"ALERTS_FOR_STATE{Format(labels.Where(l => l.Key != "alertstate"))} {(alert.State.ActiveAt.ToUnixTimeMilliseconds() / 1000.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
        }

        var text = new System.Text.StringBuilder();
        text.Append("# HELP ALERTS Pending and firing alerts of Keelson's alert rules (1 per alert), as Prometheus exports them.\n# TYPE ALERTS gauge\n");
        foreach (var line in alerts)
        {
            text.Append(line).Append('\n');
        }

        text.Append("# HELP ALERTS_FOR_STATE When each pending or firing alert became active, in Unix seconds (Prometheus's ALERTS_FOR_STATE).\n# TYPE ALERTS_FOR_STATE gauge\n");
        foreach (var line in forState)
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    private static string Format(IEnumerable<KeyValuePair<string, string>> labels) =>
        "{" + string.Join(',', labels.Select(l => $"{l.Key}=\"{l.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"")) + "}";
}
