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

    /// <summary>Creates the registry and its gauges.</summary>
    public ServerMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var factory = Metrics.WithCustomRegistry(Registry);
        tenants = factory.CreateGauge("keelson_tenants", "Tenants in the database.", "mode");
        activeTenants = factory.CreateGauge("keelson_tenants_active", "Tenants whose status is running.", "mode");
        deployments = factory.CreateGauge("keelson_deployments", "Deployments by state.", "mode", "state");
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
            }
        });
    }
}
