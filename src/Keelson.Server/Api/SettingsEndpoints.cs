using System.Globalization;
using Keelson.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Keelson.Server.Api;

/// <summary>
/// <c>GET /api/v1/settings</c>: the configuration the console's Settings page shows, read-only — the metric store's
/// retention and series limit (any key: they bound every tenant's data) and, for admins, where each mode's cluster is
/// configured (file paths and context names, never credentials). Changing them is configuration, not an API call.
/// </summary>
public static class SettingsEndpoints
{
    /// <summary>Maps the route on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapSettings(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/settings", Get).WithName("GetSettings").WithTags("settings")
            .WithSummary("Read-only configuration: metric retention (raw, 1-minute and 1-hour roll-ups) and the per-tenant series limit, each with the configuration key that sets it; for an admin key, where the demo and production clusters are configured (no credentials).")
            .Produces<ServerSettings>();
        return api;
    }

    /// <summary>The answer.</summary>
    /// <param name="Retention">The metric store's limits, each with its configuration key.</param>
    /// <param name="Clusters">Where each mode's cluster is configured; null for a tenant key.</param>
    /// <param name="ApiKeyStore">Which database holds issued API keys.</param>
    public sealed record ServerSettings(IReadOnlyList<ConfigurationValue> Retention, IReadOnlyList<ClusterConfiguration>? Clusters, string ApiKeyStore);

    /// <summary>One configured value.</summary>
    /// <param name="Key">The configuration key (appsettings.json path; <c>KEELSON__MONITORING__RETENTION</c>-style variables set it too).</param>
    /// <param name="Value">Its value, invariant (<c>d.hh:mm:ss</c> for durations).</param>
    /// <param name="Meaning">What it bounds.</param>
    public sealed record ConfigurationValue(string Key, string Value, string Meaning);

    /// <summary>Where one mode's cluster is.</summary>
    /// <param name="Mode"><c>demo</c> or <c>production</c>.</param>
    /// <param name="Configured">Whether a kubeconfig, context or in-cluster account is set.</param>
    /// <param name="Kubeconfig">The kubeconfig file's path, if set.</param>
    /// <param name="Context">The kubeconfig context, if set.</param>
    /// <param name="InCluster">Whether the pod's service account is used.</param>
    /// <param name="Meaning">What the mode deploys to as configured, and what to set otherwise.</param>
    public sealed record ClusterConfiguration(string Mode, bool Configured, string? Kubeconfig, string? Context, bool InCluster, string Meaning);

    private static Ok<ServerSettings> Get(HttpContext http, IOptions<ServerOptions> options)
    {
        var settings = options.Value;
        var monitoring = settings.Monitoring;
        IReadOnlyList<ConfigurationValue> retention =
        [
            new("Keelson:Monitoring:Retention", Duration(monitoring.Retention), "How long raw pushed samples are kept; older pushes are refused."),
            new("Keelson:Monitoring:MinuteRollupRetention", Duration(monitoring.MinuteRollupRetention), "How long 1-minute roll-ups are kept after raw samples expire."),
            new("Keelson:Monitoring:HourRollupRetention", Duration(monitoring.HourRollupRetention), "How long 1-hour roll-ups are kept."),
            new("Keelson:Monitoring:MaxSeriesPerTenant", monitoring.MaxSeriesPerTenant.ToString(CultureInfo.InvariantCulture), "Distinct metric names one tenant may push."),
        ];
        var clusters = ApiKeyFilter.CallerOf(http).Admin
            ? new[]
            {
                Cluster("demo", settings.Clusters.Demo, "Deploys to the embedded sandbox (one per cluster profile) unless Keelson:Clusters:Demo:Kubeconfig or :Context is set."),
                Cluster("production", settings.Clusters.Production,
                    "Production deployments are refused until Keelson:Clusters:Production:Kubeconfig (and optionally :Context) or :InCluster=true is set."),
            }
            : null;
        return TypedResults.Ok(new ServerSettings(retention, clusters, "production database (ConnectionStrings:Production, else production.db in Keelson:DataDirectory)"));
    }

    private static ClusterConfiguration Cluster(string mode, ClusterConnection connection, string unconfigured) =>
        new(mode, connection.Configured, connection.Kubeconfig, connection.Context, connection.InCluster,
            connection.Configured ? $"Deploys to the cluster of this kubeconfig/context{(connection.InCluster ? " (in-cluster service account)" : "")}." : unconfigured);

    private static string Duration(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
