using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Keelson.Operations;
using Keelson.Operations.Deployments;
using Keelson.Operations.Storage;
using Keelson.Operations.Tenants;
using Keelson.Server.Http;

namespace Keelson.Server.Api;

/// <summary>
/// The ECP-AI dashboard's tenant actions: start, stop and restart run as durable deployments (stop scales the
/// workloads to zero and keeps everything else; start restores the planned replicas; restart stamps the pod
/// templates as <c>kubectl rollout restart</c> does), plus the id availability check its create form calls.
/// </summary>
public static class TenantLifecycleEndpoints
{
    /// <summary>Maps the routes under <paramref name="api"/>.</summary>
    public static RouteGroupBuilder MapTenantLifecycle(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/tenants/check-duplicate/{tenant_id}", CheckDuplicate).WithName("CheckTenantId").WithTags("tenants")
            .WithSummary("Whether a tenant id is free and valid; a taken id answers with the existing tenant and free alternatives.")
            .Produces<IdAvailability>();
        MapAction(api, "start", DeploymentAction.Start, "Deliver the tenant as planned again (restores the planned replicas after a stop), as a durable deployment.");
        MapAction(api, "stop", DeploymentAction.Stop, "Scale the tenant's Deployments and StatefulSets to zero, keeping every other object, as a durable deployment.");
        MapAction(api, "restart", DeploymentAction.Restart, "Restart the tenant's pods with a rolling update (kubectl rollout restart), as a durable deployment.");
        api.MapPost("/tenants/{tenant_id}/complete-deployment", Complete).WithName("CompleteTenantDeployment").WithTags("tenants")
            .WithSummary("Where the tenant's running deployment is; Keelson never marks a deployment done without its readiness checks.")
            .Produces<LifecycleResponse>().Produces<LifecycleResponse>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static void MapAction(RouteGroupBuilder api, string verb, DeploymentAction action, string summary) =>
        api.MapPost($"/tenants/{{tenant_id}}/{verb}", (HttpContext http, TenantDatabases databases, DeploymentClusters clusters, TenantDeployments runner, string tenant_id, CancellationToken cancellationToken) =>
                RunAsync(http, databases, clusters, runner, tenant_id, action, cancellationToken))
            .WithName($"{CultureInfo.InvariantCulture.TextInfo.ToTitleCase(verb)}Tenant").WithTags("tenants").WithSummary(summary)
            .Produces<LifecycleResponse>(StatusCodes.Status202Accepted).Produces<LifecycleResponse>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .RequireRateLimiting(ServerApp.MutationPolicy);

    private static async Task<IResult> RunAsync(
        HttpContext http, TenantDatabases databases, DeploymentClusters clusters, TenantDeployments runner, string tenant_id, DeploymentAction action, CancellationToken cancellationToken)
    {
        var demo = DemoModeFilter.IsDemo(http);
        var stores = databases.For(demo);
        var (tenant, problem) = await DeploymentEndpoints.DeployableAsync(stores, clusters, demo, tenant_id, cancellationToken).ConfigureAwait(false);
        if (tenant is null)
        {
            return problem!;
        }

        var history = await stores.Deployments.ListForTenantAsync(tenant_id, cancellationToken).ConfigureAwait(false);
        if (history.FirstOrDefault(d => !d.Finished) is { } unfinished)
        {
            return Problems.Conflict($"Tenant '{tenant_id}' is being deployed",
                $"Deployment {unfinished.Id} (revision {unfinished.Revision}, {WireName.Of(unfinished.Action)}) is {WireName.Of(unfinished.State)}; try again after it ends.");
        }

        // As the original answers: asking for the state the tenant is already in changes nothing.
        var status = WireName.Of(tenant.Status);
        if ((action, tenant.Status) is (DeploymentAction.Start, TenantStatus.Running) or (DeploymentAction.Stop, TenantStatus.Stopped))
        {
            return Results.Ok(new LifecycleResponse(false, $"Tenant '{tenant_id}' is already {status}; nothing to do.", tenant_id, status, WireName.Of(action), null));
        }

        if (action is DeploymentAction.Stop or DeploymentAction.Restart && !history.Any(d => d.State == DeploymentState.Succeeded))
        {
            return Problems.Conflict($"Tenant '{tenant_id}' has not been deployed",
                $"There is nothing on its cluster to {WireName.Of(action)}; POST .../start or .../deploy delivers it first.");
        }

        var spec = await AlertRulePins.SnapshotAsync(stores, tenant, cancellationToken).ConfigureAwait(false);
        var deployment = await stores.Deployments.CreateAsync(tenant_id, spec, null, action, cancellationToken).ConfigureAwait(false);
        await TenantEndpoints.Audit(stores.Audit, http, $"tenant.{WireName.Of(action)}", tenant_id, new JsonObject { ["deployment_id"] = deployment.Id }, cancellationToken).ConfigureAwait(false);
        runner.Wake(demo);
        var message = action switch
        {
            DeploymentAction.Stop => "Scaling the tenant's workloads to zero; every other object is kept.",
            DeploymentAction.Restart => "Restarting the tenant's pods with a rolling update.",
            _ => "Delivering the tenant with its planned replicas.",
        };
        return TypedResults.Accepted($"/api/v1/deployments/{deployment.Id}",
            new LifecycleResponse(true, message, tenant_id, "deploying", WireName.Of(action), deployment.Id));
    }

    private static async Task<IResult> Complete(HttpContext http, TenantDatabases databases, string tenant_id, CancellationToken cancellationToken)
    {
        var stores = databases.For(DemoModeFilter.IsDemo(http));
        if (await stores.Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is not { } tenant)
        {
            return Problems.NotFound(tenant_id);
        }

        var history = await stores.Deployments.ListForTenantAsync(tenant_id, cancellationToken).ConfigureAwait(false);
        if (history.FirstOrDefault(d => !d.Finished) is not { } running)
        {
            return Results.Ok(new LifecycleResponse(false, $"Tenant '{tenant_id}' is not being deployed.", tenant_id, WireName.Of(tenant.Status), null, null)
            {
                CurrentStatus = WireName.Of(tenant.Status),
            });
        }

        var steps = await stores.Deployments.ListStepsAsync(running.Id, cancellationToken).ConfigureAwait(false);
        var step = steps.FirstOrDefault(s => s.State is not DeploymentStepState.Succeeded);
        var at = step is null ? "finishing" : $"at step {WireName.Of(step.Name)} ({WireName.Of(step.State)})";
        return TypedResults.Accepted($"/api/v1/deployments/{running.Id}", new LifecycleResponse(true,
            $"Deployment {running.Id} is {at}; it completes when its readiness checks pass. Keelson does not mark a deployment done without them.",
            tenant_id, "deploying", WireName.Of(running.Action), running.Id));
    }

    private static async Task<IResult> CheckDuplicate(HttpContext http, TenantDatabases databases, string tenant_id, CancellationToken cancellationToken)
    {
        var tenants = databases.For(DemoModeFilter.IsDemo(http)).Tenants;
        if (!TenantIds.IsValid(tenant_id))
        {
            return Results.Ok(new IdAvailability(false,
                $"'{tenant_id}' cannot be a tenant id: it must be a DNS label of 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit.",
                tenant_id, null, [], false));
        }

        if (await tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is not { } existing)
        {
            return Results.Ok(new IdAvailability(true, $"'{tenant_id}' is available.", tenant_id, null, null, true));
        }

        var suggestions = new List<string>();
        var year = DateTimeOffset.UtcNow.Year.ToString(CultureInfo.InvariantCulture);
        foreach (var candidate in (string[])[$"{tenant_id}-v2", $"{tenant_id}-new", $"{tenant_id}-{year}", $"my-{tenant_id}", $"{tenant_id}-prod"])
        {
            if (TenantIds.IsValid(candidate) && await tenants.GetAsync(candidate, cancellationToken).ConfigureAwait(false) is null)
            {
                suggestions.Add(candidate);
            }
        }

        var response = TenantResponse.From(existing);
        return Results.Ok(new IdAvailability(false, $"'{tenant_id}' is taken (created {existing.CreatedAt:yyyy-MM-dd HH:mm} UTC).", tenant_id,
            new ExistingTenant(existing.Name, existing.Preset, WireName.Of(existing.Status), existing.CreatedAt, response.ServicesCount), suggestions, true));
    }
}

/// <summary>What a start, stop, restart or complete-deployment answers (the ECP-AI shape, with the deployment that does it).</summary>
public sealed record LifecycleResponse(
    [property: JsonPropertyName("success")] bool Success,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("tenant_id")] string TenantId,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("action")] string? Action,
    [property: JsonPropertyName("deployment_id")] string? DeploymentId)
{
    /// <summary>On complete-deployment without a running deployment: the tenant's status, as the original names it.</summary>
    [JsonPropertyName("current_status")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CurrentStatus { get; init; }
}

/// <summary>The answer of <c>check-duplicate</c>.</summary>
public sealed record IdAvailability(
    [property: JsonPropertyName("available")] bool Available,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("tenant_id")] string TenantId,
    [property: JsonPropertyName("existing_tenant")] ExistingTenant? ExistingTenant,
    [property: JsonPropertyName("suggestions")] IReadOnlyList<string>? Suggestions,
    [property: JsonPropertyName("valid")] bool Valid);

/// <summary>The tenant that holds a taken id.</summary>
public sealed record ExistingTenant(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("preset")] string Preset,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("services_count")] int ServicesCount);
