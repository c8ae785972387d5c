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
    }

    /// <summary>The registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Reads the counts from <paramref name="databases"/> before every scrape.</summary>
    public void Observe(TenantDatabases databases)
    {
        ArgumentNullException.ThrowIfNull(databases);
        Registry.AddBeforeCollectCallback(async cancellationToken =>
        {
            if (!databases.IsOpen)
            {
                return;
            }

            var active = new List<(string Mode, ActiveAlertState Alert)>();
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
            }

            SetAlerts(active);
        });
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
