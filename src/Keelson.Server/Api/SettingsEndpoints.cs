using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Operations.Alerts;
using Keelson.Operations.Audit;
using Keelson.Operations.Monitoring;
using Keelson.Server.Http;
using Keelson.Server.Monitoring;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Keelson.Server.Api;

/// <summary>
/// <c>GET /api/v1/settings</c>: the configuration the console's Settings page shows — the metric store's retention and
/// series limit (any key: they bound every tenant's data) and, for admins, where each mode's cluster is configured (file
/// paths and context names, never credentials). <c>PUT/DELETE /api/v1/settings/retention</c> (admins) set the retention
/// at run time for every replica, or put configuration back in force; everything else is configuration.
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
        api.MapPut("/settings/retention", SetRetention).WithName("SetRetention").WithTags("settings")
            .WithSummary("Admin only: the metric retention in force for both modes and every replica, instead of Keelson:Monitoring's: {retention, minute_rollup_retention, hour_rollup_retention} as durations (15d, 36h, 1w); a field left out keeps the value in force. The next retention pass (each minute) cuts by it; pushes older than retention are refused at once.")
            .Produces<ServerSettings>().ProducesProblem(StatusCodes.Status403Forbidden).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapDelete("/settings/retention", ClearRetention).WithName("ClearRetention").WithTags("settings")
            .WithSummary("Admin only: puts Keelson:Monitoring's retention back in force.")
            .Produces<ServerSettings>().ProducesProblem(StatusCodes.Status403Forbidden);
        return api;
    }

    /// <summary>The answer.</summary>
    /// <param name="Retention">The metric store's limits in force, each with its configuration key.</param>
    /// <param name="RetentionSet">Who set the retention through the API and when; null while configuration is in force.</param>
    /// <param name="Clusters">Where each mode's cluster is configured; null for a tenant key.</param>
    /// <param name="ApiKeyStore">Which database holds issued API keys.</param>
    public sealed record ServerSettings(IReadOnlyList<ConfigurationValue> Retention, RetentionChange? RetentionSet, IReadOnlyList<ClusterConfiguration>? Clusters, string ApiKeyStore);

    /// <summary>Retention set through the API.</summary>
    /// <param name="UpdatedAt">When.</param>
    /// <param name="UpdatedBy">By which key (its name).</param>
    public sealed record RetentionChange(DateTimeOffset UpdatedAt, string UpdatedBy);

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

    private static async Task<Ok<ServerSettings>> Get(HttpContext http, IOptions<ServerOptions> options, MetricRetention retention, CancellationToken cancellationToken) =>
        TypedResults.Ok(Answer(http, options.Value, await retention.CurrentAsync(cancellationToken).ConfigureAwait(false)));

    private static ServerSettings Answer(HttpContext http, ServerOptions settings, (RetentionWindows Windows, RetentionOverride? Set) retention)
    {
        var (windows, set) = retention;
        IReadOnlyList<ConfigurationValue> limits =
        [
            new("Keelson:Monitoring:Retention", Duration(windows.Raw), "How long raw pushed samples are kept; older pushes are refused."),
            new("Keelson:Monitoring:MinuteRollupRetention", Duration(windows.MinuteRollups), "How long 1-minute roll-ups are kept after raw samples expire."),
            new("Keelson:Monitoring:HourRollupRetention", Duration(windows.HourRollups), "How long 1-hour roll-ups are kept."),
            new("Keelson:Monitoring:MaxSeriesPerTenant", settings.Monitoring.MaxSeriesPerTenant.ToString(CultureInfo.InvariantCulture), "Distinct metric names one tenant may push."),
        ];
        var clusters = ApiKeyFilter.CallerOf(http).Admin
            ? new[]
            {
                Cluster("demo", settings.Clusters.Demo, "Deploys to the embedded sandbox (one per cluster profile) unless Keelson:Clusters:Demo:Kubeconfig or :Context is set."),
                Cluster("production", settings.Clusters.Production,
                    "Production deployments are refused until Keelson:Clusters:Production:Kubeconfig (and optionally :Context) or :InCluster=true is set."),
            }
            : null;
        return new ServerSettings(limits, set is null ? null : new RetentionChange(set.UpdatedAt, set.UpdatedBy), clusters,
            "production database (ConnectionStrings:Production, else production.db in Keelson:DataDirectory)");
    }

    private static async Task<IResult> SetRetention(HttpContext http, IOptions<ServerOptions> options, MetricRetention retention, CancellationToken cancellationToken)
    {
        var caller = ApiKeyFilter.CallerOf(http);
        if (!caller.Admin)
        {
            return Problems.AdminOnly(caller, "Retention is set with an admin key", "changing the metric retention of every tenant");
        }

        var (read, problem) = await JsonBody.ReadDocumentAsync(http.Request, cancellationToken).ConfigureAwait(false);
        using var document = read;
        if (document is null)
        {
            return problem!;
        }

        var body = document.RootElement;
        var (current, _) = await retention.CurrentAsync(cancellationToken).ConfigureAwait(false);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors[""] = ["The body must be a JSON object: {\"retention\": \"15d\", \"minute_rollup_retention\": \"90d\", \"hour_rollup_retention\": \"400d\"}."];
        }
        else
        {
            foreach (var field in body.EnumerateObject().Select(p => p.Name).Except(RetentionFields, StringComparer.Ordinal))
            {
                errors[field] = [$"{field} is not a setting here; the fields are {string.Join(", ", RetentionFields)}."];
            }
        }

        TimeSpan Read(string field, TimeSpan inForce)
        {
            if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return inForce;
            }

            if (value.ValueKind == JsonValueKind.String && PromDuration.TryParse(value.GetString()!, out _) is { } parsed)
            {
                return parsed;
            }

            errors[field] = [$"{field} must be a duration such as 15d, 36h or 1w (units y, w, d, h, m, s, largest first)."];
            return inForce;
        }

        var windows = new RetentionWindows(Read("retention", current.Raw), Read("minute_rollup_retention", current.MinuteRollups), Read("hour_rollup_retention", current.HourRollups));
        foreach (var (field, message) in errors.Count == 0 ? windows.Problems() : new Dictionary<string, string>())
        {
            errors[field] = [message];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "The retention is not valid; nothing was changed", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var stored = await retention.SetAsync(windows, Audit(http, "settings.retention.set", windows), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(Answer(http, options.Value, (stored.Windows, stored)));
    }

    private static async Task<IResult> ClearRetention(HttpContext http, IOptions<ServerOptions> options, MetricRetention retention, CancellationToken cancellationToken)
    {
        var caller = ApiKeyFilter.CallerOf(http);
        if (!caller.Admin)
        {
            return Problems.AdminOnly(caller, "Retention is set with an admin key", "changing the metric retention of every tenant");
        }

        await retention.ClearAsync(Audit(http, "settings.retention.clear", retention.Configured), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(Answer(http, options.Value, (retention.Configured, null)));
    }

    private static readonly string[] RetentionFields = ["retention", "minute_rollup_retention", "hour_rollup_retention"];

    private static AuditEntry Audit(HttpContext http, string action, RetentionWindows windows) => new()
    {
        Actor = CicdAccess.Actor(http),
        Action = action,
        DetailsJson = new JsonObject
        {
            ["retention"] = PromDuration.Format(windows.Raw),
            ["minute_rollup_retention"] = PromDuration.Format(windows.MinuteRollups),
            ["hour_rollup_retention"] = PromDuration.Format(windows.HourRollups),
        }.ToJsonString(),
    };

    private static ClusterConfiguration Cluster(string mode, ClusterConnection connection, string unconfigured) =>
        new(mode, connection.Configured, connection.Kubeconfig, connection.Context, connection.InCluster,
            connection.Configured ? $"Deploys to the cluster of this kubeconfig/context{(connection.InCluster ? " (in-cluster service account)" : "")}." : unconfigured);

    private static string Duration(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
