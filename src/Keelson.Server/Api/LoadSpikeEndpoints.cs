using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;
using Keelson.Operations;
using Keelson.Rendering.Objects;
using Keelson.Sandbox.Metrics;
using Keelson.Server.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Keelson.Server.Api;

/// <summary>
/// Demo only: a load spike on a tenant deployed to the embedded sandbox — its workloads serve factor × the demand
/// they had when it started, for a duration of sandbox time (docs/sandbox.md), so its HPAs scale out and alerts
/// on its metrics can fire. Production answers 409: a real cluster's load comes from its users.
/// </summary>
public static class LoadSpikeEndpoints
{
    /// <summary>The largest factor a spike may have.</summary>
    public const double MaxFactor = 20;

    /// <summary>The longest a spike may last, in sandbox time.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    /// <summary>Maps the routes under <paramref name="api"/>.</summary>
    public static RouteGroupBuilder MapLoadSpikes(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/tenants/{tenant_id}/load-spikes", Start).WithName("StartLoadSpike").WithTags("tenants")
            .WithSummary("Demo only: the tenant's sandbox workloads serve factor × their current demand for a duration of sandbox time; replaces a spike already on.")
            .Produces<LoadSpikeResponse>(StatusCodes.Status201Created).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapGet("/tenants/{tenant_id}/load-spikes", Get).WithName("GetLoadSpike").WithTags("tenants")
            .WithSummary("Demo only: the tenant's active load spike; 404 when none is on.")
            .Produces<LoadSpikeResponse>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/tenants/{tenant_id}/load-spikes", End).WithName("EndLoadSpike").WithTags("tenants")
            .WithSummary("Demo only: end the tenant's load spike now; its workloads go back to the demand they had before it.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        return api;
    }

    private static async Task<IResult> Start(HttpContext http, TenantDatabases databases, DeploymentClusters clusters, string tenant_id, CancellationToken cancellationToken)
    {
        if (await RefusedAsync(http, databases, tenant_id, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var (read, problem) = await JsonBody.ReadDocumentAsync(http.Request, cancellationToken).ConfigureAwait(false);
        using var document = read;
        if (document is null)
        {
            return problem!;
        }

        var body = document.RootElement;
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Invalid("$", "The body must be a JSON object such as {\"factor\": 3, \"duration\": \"10m\"}.");
        }

        if (!body.TryGetProperty("factor", out var f) || f.ValueKind != JsonValueKind.Number || !f.TryGetDouble(out var factor) || factor <= 1 || factor > MaxFactor)
        {
            return Invalid("factor", $"factor must be a number above 1 and at most {MaxFactor.ToString(CultureInfo.InvariantCulture)} (the multiple of the current demand); got {(body.TryGetProperty("factor", out var got) ? got.GetRawText() : "nothing")}.");
        }

        var duration = TimeSpan.Zero;
        if (!body.TryGetProperty("duration", out var d) || d.ValueKind != JsonValueKind.String
            || !AlertRuleInput.TryDuration(d.GetString()!, out duration, out _) || duration < TimeSpan.FromSeconds(1) || duration > MaxDuration)
        {
            return Invalid("duration", $"duration must be a duration of sandbox time from 1s to 24h, such as \"10m\" or \"1h30m\"; got {(body.TryGetProperty("duration", out var got) ? got.GetRawText() : "nothing")}.");
        }

        var spike = await OnSandboxAsync(clusters, tenant_id, (context, ns) => LoadSpikes.Start(context, ns, factor, duration), cancellationToken).ConfigureAwait(false);
        return spike is { } started
            ? TypedResults.Created($"/api/v1/tenants/{tenant_id}/load-spikes", LoadSpikeResponse.From(tenant_id, started.Value, started.Now))
            : NotOnSandbox(tenant_id);
    }

    private static async Task<IResult> Get(HttpContext http, TenantDatabases databases, DeploymentClusters clusters, string tenant_id, CancellationToken cancellationToken)
    {
        if (await RefusedAsync(http, databases, tenant_id, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var found = await OnSandboxAsync(clusters, tenant_id, LoadSpikes.Active, cancellationToken).ConfigureAwait(false);
        return found switch
        {
            null => NotOnSandbox(tenant_id),
            { Value: null } => NoSpike(tenant_id),
            { Value: { } spike, Now: var now } => TypedResults.Ok(LoadSpikeResponse.From(tenant_id, spike, now)),
        };
    }

    private static async Task<IResult> End(HttpContext http, TenantDatabases databases, DeploymentClusters clusters, string tenant_id, CancellationToken cancellationToken)
    {
        if (await RefusedAsync(http, databases, tenant_id, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var found = await OnSandboxAsync(clusters, tenant_id, LoadSpikes.End, cancellationToken).ConfigureAwait(false);
        return found switch
        {
            null => NotOnSandbox(tenant_id),
            { Value: false } => NoSpike(tenant_id),
            _ => TypedResults.NoContent(),
        };
    }

    // 404 for an unknown tenant, 409 in production; null when the request may go on.
    private static async Task<IResult?> RefusedAsync(HttpContext http, TenantDatabases databases, string tenantId, CancellationToken cancellationToken)
    {
        var demo = DemoModeFilter.IsDemo(http);
        if (await databases.For(demo).Tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problems.NotFound(tenantId);
        }

        return demo ? null : Problems.Conflict("Load spikes are for the demo sandbox only",
            "A production cluster's load comes from its users; send X-Demo-Mode: true to spike a tenant deployed to the sandbox.");
    }

    // Runs work on the embedded sandbox holding the tenant's namespace (labelled keelson.dev/tenant), between two of
    // its facade's requests; null when no sandbox holds it.
    private static async Task<Found<T>?> OnSandboxAsync<T>(DeploymentClusters clusters, string tenantId, Func<Sandbox.Engine.SandboxContext, string, T> work, CancellationToken cancellationToken)
    {
        var results = await clusters.InspectSandboxesAsync(cluster =>
        {
            var context = cluster.Engine.Context;
            var ns = context.Store.List<V1Namespace>()
                .FirstOrDefault(n => n.Metadata.Labels?.TryGetValue(Labels.Tenant, out var t) == true && t == tenantId)?.Metadata.Name;
            return ns is null ? null : new Found<T>(work(context, ns), context.Clock.GetUtcNow());
        }, cancellationToken).ConfigureAwait(false);
        return results.FirstOrDefault(r => r is not null);
    }

    private static ProblemHttpResult NotOnSandbox(string tenantId) => Problems.Conflict($"Tenant '{tenantId}' is not deployed to the demo sandbox",
        "A load spike acts on the tenant's workloads in the embedded sandbox; deploy it first (POST /api/v1/tenants/{tenant_id}/deploy with X-Demo-Mode: true).");

    private static ProblemHttpResult NoSpike(string tenantId) => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound,
        title: $"Tenant '{tenantId}' has no load spike on", detail: "Start one with POST .../load-spikes {\"factor\": 3, \"duration\": \"10m\"}.", type: "https://keelson.dev/problems/404");

    private static ProblemHttpResult Invalid(string field, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The load spike is not valid; nothing was started", detail: detail,
            type: "https://keelson.dev/problems/422", extensions: new Dictionary<string, object?> { ["field"] = field, ["errors"] = new Dictionary<string, string[]> { [field] = [detail] } });

    private sealed record Found<T>(T Value, DateTimeOffset Now);
}

/// <summary>A tenant's load spike; times are on the sandbox's clock, which may run faster than the wall clock.</summary>
public sealed record LoadSpikeResponse(
    [property: JsonPropertyName("tenant_id")] string TenantId,
    [property: JsonPropertyName("factor")] double Factor,
    [property: JsonPropertyName("started_at")] DateTimeOffset StartedAt,
    [property: JsonPropertyName("ends_at")] DateTimeOffset EndsAt,
    [property: JsonPropertyName("remaining_seconds")] double RemainingSeconds,
    [property: JsonPropertyName("workloads")] IReadOnlyList<string> Workloads)
{
    /// <summary>The response for <paramref name="spike"/> at sandbox time <paramref name="now"/>.</summary>
    public static LoadSpikeResponse From(string tenantId, LoadSpike spike, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(spike);
        return new(tenantId, spike.Factor, spike.Start, spike.End, Math.Max(0, Math.Round((spike.End - now).TotalSeconds)), [.. spike.BaselineMillis.Keys]);
    }
}
