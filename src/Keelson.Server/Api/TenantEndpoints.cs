using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Operations;
using Keelson.Operations.Audit;
using Keelson.Operations.Deployments;
using Keelson.Operations.Storage;
using Keelson.Operations.Tenants;
using Keelson.Planning;
using Keelson.Rendering;
using Keelson.Server.Http;

namespace Keelson.Server.Api;

/// <summary>Tenants: the seed's list, create, read, replace, delete, and the manifest download.</summary>
public static class TenantEndpoints
{
    /// <summary>Maps the routes on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapTenants(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/tenants/", List).WithName("ListTenants").WithSummary("Tenants of the selected database, a page at a time, with the seed's counts (also at /tenants without the slash); search= keeps those whose id or name contains it or whose preset or status is it, and the counts are then of those.").Produces<TenantList>();
        api.MapPost("/tenants/", Create).WithName("CreateTenant").WithSummary("Plan and save a tenant from the seed's request, or from a full stack document (application/yaml, or JSON with kind: Stack).")
            .Accepts<TenantRequest>("application/json", "application/yaml", "application/x-yaml", "text/yaml")
            .Produces<TenantResponse>(StatusCodes.Status201Created).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status409Conflict)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapGet("/tenants/{tenant_id}", Get).WithName("GetTenant").Produces<TenantResponse>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/tenants/{tenant_id}", Replace).WithName("ReplaceTenant").WithSummary("Re-plan and save a tenant's requirements (the seed's request or a stack document).")
            .Accepts<TenantRequest>("application/json", "application/yaml", "application/x-yaml", "text/yaml")
            .Produces<TenantResponse>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status404NotFound)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapPatch("/tenants/{tenant_id}", Patch).WithName("PatchTenant")
            .WithSummary("Change some fields of a tenant made from the seed's request (a JSON merge patch, RFC 7396), re-planned; status cannot be set.")
            .Accepts<TenantRequest>("application/merge-patch+json", "application/json")
            .Produces<TenantResponse>().ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapDelete("/tenants/{tenant_id}", Delete).WithName("DeleteTenant").WithSummary("Remove the tenant's objects from its cluster, then the tenant and its deployment records.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireRateLimiting(ServerApp.MutationPolicy);
        api.MapGet("/tenants/{tenant_id}/manifest", Manifest).WithName("GetManifest")
            .WithSummary("The tenant's manifests: format=yaml (default), json, helm or kustomize (tar.gz); include_monitoring=true|false.")
            .Produces<JsonNode>(StatusCodes.Status200OK, "application/yaml", "application/json", "application/gzip")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<IResult> List(HttpContext http, TenantDatabases databases, Monitoring.TenantMonitoring monitoring, int? offset, int? limit, string? search, CancellationToken cancellationToken)
    {
        var from = Math.Max(offset ?? 0, 0);
        var size = Math.Clamp(limit ?? 50, 1, 500);
        var demo = DemoModeFilter.IsDemo(http);
        var tenants = databases.For(demo).Tenants;
        var caller = ApiKeyFilter.CallerOf(http);
        if (!caller.Admin)
        {
            // A tenant-scoped key sees its one tenant: filtering a page of everyone's would hide it past page 1.
            var own = caller.Tenant is { } id ? await tenants.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
            own = own is null || string.IsNullOrWhiteSpace(search) || Matches(own, search.Trim()) ? own : null;
            var mine = own is null || from > 0 ? [] : new List<TenantResponse> { await WithUsageAsync(monitoring, demo, TenantResponse.From(own), cancellationToken).ConfigureAwait(false) };
            var count = own is null ? 0 : 1;
            return Results.Ok(new TenantList(mine, count, own is { IsDemo: true } ? 1 : 0, own?.Status == TenantStatus.Running ? 1 : 0, from, size));
        }

        var page = await tenants.ListAsync(from, size, search, cancellationToken).ConfigureAwait(false);
        var visible = new List<TenantResponse>(page.Items.Count);
        foreach (var tenant in page.Items)
        {
            visible.Add(await WithUsageAsync(monitoring, demo, TenantResponse.From(tenant), cancellationToken).ConfigureAwait(false));
        }

        return Results.Ok(new TenantList(visible, page.TotalCount, page.DemoCount, page.ActiveCount, from, size));
    }

    // What the store's search matches, for the one tenant a scoped key sees.
    private static bool Matches(TenantRecord tenant, string term) =>
        tenant.TenantId.Contains(term, StringComparison.OrdinalIgnoreCase) || tenant.Name.Contains(term, StringComparison.OrdinalIgnoreCase)
        || string.Equals(tenant.Preset, term, StringComparison.OrdinalIgnoreCase) || string.Equals(WireName.Of(tenant.Status), term, StringComparison.OrdinalIgnoreCase);

    /// <summary>How far back a usage figure may be and still be shown as the tenant's current use.</summary>
    private static readonly TimeSpan UsageWindow = TimeSpan.FromMinutes(10);

    private static readonly string[] UsageMetrics = ["cpu_usage", "memory_usage", "gpu_usage", "storage_usage"];

    // The newest value of each usage series in the last few minutes, from the same source the monitoring queries read.
    private static async Task<TenantResponse> WithUsageAsync(Monitoring.TenantMonitoring monitoring, bool demo, TenantResponse tenant, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        IReadOnlyList<Operations.Monitoring.MetricSample> samples;
        try
        {
            samples = await monitoring.Source(demo).ReadAsync(new Operations.Monitoring.MetricSelector(tenant.TenantId, now - UsageWindow, now, UsageMetrics), cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
            // An unreachable Prometheus leaves the figures unknown; the tenant list still answers.
            return tenant;
        }

        var newest = samples.GroupBy(s => s.MetricName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.MaxBy(s => s.Timestamp)!.Value, StringComparer.Ordinal);
        return tenant.WithUsage(newest);
    }

    private static async Task<IResult> Create(HttpContext http, TenantDatabases databases, DeploymentClusters clusters, TenantDeployments runner, CancellationToken cancellationToken)
    {
        // Planned before anything is saved: a tenant that cannot be planned is never stored.
        var (input, problem) = await TenantInput.ReadAsync(http.Request, null, cancellationToken).ConfigureAwait(false);
        if (input is null)
        {
            return problem!;
        }

        var caller = ApiKeyFilter.CallerOf(http);
        if (!caller.MayAccess(input.Stack.Metadata.Tenant))
        {
            return Problems.Forbidden(caller);
        }

        var demo = DemoModeFilter.IsDemo(http);
        var record = RecordOf(input, demo);

        var stores = databases.For(demo);
        try
        {
            var created = await stores.Tenants.CreateAsync(record, AuditEntryOf(http, "tenant.create", record.TenantId, null), cancellationToken).ConfigureAwait(false);
            var response = TenantResponse.From(created) with { Success = true, EstimatedResources = Estimated(input), DeploymentStatus = "created" };
            if (input.Request?.AutoDeploy == true)
            {
                response = await AutoDeployAsync(http, stores, clusters, runner, demo, created, response, cancellationToken).ConfigureAwait(false);
            }

            return Results.Created($"/api/v1/tenants/{created.TenantId}", response);
        }
        catch (DuplicateTenantException)
        {
            return Problems.Conflict($"Tenant '{record.TenantId}' already exists", "Use PUT /api/v1/tenants/{tenant_id} to change it, or choose another tenant_id.");
        }
    }

    // The ECP-AI UI's create sends auto_deploy: true; the tenant is kept even when no deployment can start, as the original does.
    private static async Task<TenantResponse> AutoDeployAsync(
        HttpContext http, Operations.OperationsStores stores, DeploymentClusters clusters, TenantDeployments runner, bool demo, TenantRecord tenant, TenantResponse response, CancellationToken cancellationToken)
    {
        if (!demo && !clusters.HasProduction)
        {
            return response with { DeploymentStatus = "created_with_deploy_error", DeploymentError = "No production cluster is configured (Keelson:Clusters:Production); deploy later with POST /api/v1/tenants/{tenant_id}/deploy." };
        }

        var spec = await AlertRulePins.SnapshotAsync(stores, tenant, cancellationToken).ConfigureAwait(false);
        var deployment = await stores.Deployments.CreateAsync(tenant.TenantId, spec, null, cancellationToken).ConfigureAwait(false);
        await Audit(stores.Audit, http, "deployment.create", tenant.TenantId, new JsonObject { ["deployment_id"] = deployment.Id, ["auto_deploy"] = true }, cancellationToken).ConfigureAwait(false);
        runner.Wake(demo);
        return response with { DeploymentStatus = "deploying", DeploymentId = deployment.Id };
    }

    private static EstimatedResources Estimated(TenantInput input)
    {
        var plan = PlanResponse.From(input.Plan);
        var gpu = input.Plan.Components.FirstOrDefault(c => c.Gpus > 0)?.Device;
        return new EstimatedResources(
            new EstimatedGpu(gpu?.ToLowerInvariant(), plan.Resources.Gpu),
            new EstimatedCpu(input.Plan.Components.Sum(c => c.Cpu.Value) / 1000.0),
            new EstimatedAmount(plan.Resources.Memory),
            new EstimatedAmount(plan.Resources.Storage));
    }

    private static async Task<IResult> Get(HttpContext http, TenantDatabases databases, Monitoring.TenantMonitoring monitoring, string tenant_id, CancellationToken cancellationToken)
    {
        var demo = DemoModeFilter.IsDemo(http);
        return await databases.For(demo).Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is { } tenant
            ? Results.Ok(await WithUsageAsync(monitoring, demo, TenantResponse.From(tenant), cancellationToken).ConfigureAwait(false))
            : Problems.NotFound(tenant_id);
    }

    private static async Task<IResult> Replace(HttpContext http, TenantDatabases databases, string tenant_id, CancellationToken cancellationToken)
    {
        var demo = DemoModeFilter.IsDemo(http);
        var stores = databases.For(demo);
        if (await stores.Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return Problems.NotFound(tenant_id);
        }

        var (input, problem) = await TenantInput.ReadAsync(http.Request, tenant_id, cancellationToken).ConfigureAwait(false);
        if (input is null)
        {
            return problem!;
        }

        return await SaveAsync(http, stores, current, input, "tenant.update", cancellationToken).ConfigureAwait(false);
    }

    // RFC 7396 merge patch over the stored seed request: only what the body names changes, null removes a field.
    private static async Task<IResult> Patch(HttpContext http, TenantDatabases databases, string tenant_id, CancellationToken cancellationToken)
    {
        var demo = DemoModeFilter.IsDemo(http);
        var stores = databases.For(demo);
        if (await stores.Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is not { } current)
        {
            return Problems.NotFound(tenant_id);
        }

        var (patch, problem) = await JsonBody.ReadObjectAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (patch is null)
        {
            return problem!;
        }

        if (patch.ContainsKey("status"))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]>
            {
                ["status"] = ["follows the tenant's deployments and cannot be set; POST .../start, .../stop or .../deploy change it"],
            }, statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        if (TenantInput.SeedRequest(current.Spec) is not { } stored)
        {
            return Problems.Conflict($"Tenant '{tenant_id}' was made from a stack document", "A merge patch applies to the seed's tenant request; send the whole stack with PUT instead.");
        }

        var (input, invalid) = TenantInput.FromRequestBody(MergePatch.Apply(stored, patch), tenant_id);
        return input is null ? invalid! : await SaveAsync(http, stores, current, input, "tenant.patch", cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> SaveAsync(HttpContext http, OperationsStores stores, TenantRecord current, TenantInput input, string action, CancellationToken cancellationToken)
    {
        var tenant_id = current.TenantId;
        if (input.Stack.Metadata.Tenant != tenant_id)
        {
            var field = input.Request is null ? "metadata.tenant" : "tenant_id";
            return Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"'{input.Stack.Metadata.Tenant}' does not match the tenant in the path, '{tenant_id}'"] }, statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var record = RecordOf(input, current.IsDemo);
        try
        {
            var updated = await stores.Tenants.UpdateAsync(record with { Version = current.Version, Status = current.Status }, AuditEntryOf(http, action, tenant_id, null), cancellationToken).ConfigureAwait(false);
            return Results.Ok(TenantResponse.From(updated));
        }
        catch (ConcurrencyException)
        {
            return Problems.Conflict($"Tenant '{tenant_id}' was changed by another request", "Read it again and repeat the change.");
        }
    }

    private static async Task<IResult> Delete(HttpContext http, TenantDatabases databases, TenantDeployments runner, TenantModels models, string tenant_id, CancellationToken cancellationToken)
    {
        var demo = DemoModeFilter.IsDemo(http);
        var stores = databases.For(demo);
        if (await stores.Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problems.NotFound(tenant_id);
        }

        var history = await stores.Deployments.ListForTenantAsync(tenant_id, cancellationToken).ConfigureAwait(false);
        if (history.FirstOrDefault(d => !d.Finished) is { } unfinished)
        {
            return Problems.Conflict($"Tenant '{tenant_id}' is being deployed",
                $"Deployment {unfinished.Id} (revision {unfinished.Revision}) is {WireName.Of(unfinished.State)}; delete the tenant after it ends.");
        }

        // The cluster first: a tenant whose objects cannot be removed stays on record, so nothing is left orphaned.
        var removed = 0;
        if (history.FirstOrDefault(d => d.State == DeploymentState.Succeeded) is { } delivered)
        {
            try
            {
                removed = await runner.TearDownAsync(demo, delivered, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is DeploymentTargetException or HttpRequestException or IOException or Delivery.Kubernetes.ClusterException)
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: $"Tenant '{tenant_id}' could not be removed from its cluster",
                    detail: $"{e.Message}. Nothing was deleted; try again when the cluster answers.", type: "https://keelson.dev/problems/503");
            }
        }

        var audit = AuditEntryOf(http, "tenant.delete", tenant_id, new JsonObject { ["objects_removed"] = removed });
        if (!await stores.Tenants.DeleteAsync(tenant_id, audit, cancellationToken).ConfigureAwait(false))
        {
            return Problems.NotFound(tenant_id);
        }

        // Its models go with it: versions, aliases, files no other tenant shares, executors and sessions.
        var unused = await models.For(demo).DeleteTenantAsync(tenant_id, cancellationToken).ConfigureAwait(false);
        await models.Runtime.ForgetTenantAsync(tenant_id, unused).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> Manifest(HttpContext http, TenantDatabases databases, string tenant_id, string? format, bool? include_monitoring, CancellationToken cancellationToken)
    {
        var chosen = (format ?? "yaml").ToLowerInvariant();
        if (!ManifestDownload.Formats.Contains(chosen))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["format"] = [$"'{format}' is not a format; use {string.Join(", ", ManifestDownload.Formats)}"] }, statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var stores = databases.For(DemoModeFilter.IsDemo(http));
        if (await stores.Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is not { } tenant)
        {
            return Problems.NotFound(tenant_id);
        }

        // What a deployment started now would deliver: the active CI/CD image of each service.
        var spec = await AlertRulePins.SnapshotAsync(stores, tenant, cancellationToken).ConfigureAwait(false);
        var (manifest, error) = TenantManifests.Render(spec, new RenderOptions { Monitoring = include_monitoring });
        if (manifest is null)
        {
            return Problems.Conflict($"Tenant '{tenant_id}' cannot be rendered", $"{error}. Replace it with PUT /api/v1/tenants/{tenant_id}.");
        }

        var (content, contentType, fileName) = ManifestDownload.Build(manifest, chosen);
        return Results.File(content, contentType, fileName);
    }

    private static TenantRecord RecordOf(TenantInput input, bool demo)
    {
        var plan = PlanResponse.From(input.Plan);
        var gpu = input.Plan.Components.FirstOrDefault(c => c.Gpus > 0)?.Device;
        return new TenantRecord
        {
            TenantId = input.Stack.Metadata.Tenant,
            Name = input.Request?.Name ?? input.Stack.Metadata.DisplayName,
            // The planner's preset, which the manifests are labelled with; a requested one was only checked to be a preset's name.
            Preset = plan.Preset,
            IsDemo = demo,
            ServiceRequirementsJson = input.ServiceRequirements().ToJsonString(),
            SlaTargetJson = JsonSerializer.Serialize(input.SlaTarget(), TenantManifests.RequestJson),
            ResourcesJson = JsonSerializer.Serialize(plan),
            CpuLimit = plan.Resources.Cpu,
            MemoryLimit = plan.Resources.Memory,
            GpuLimit = plan.Resources.Gpu,
            StorageLimit = plan.Resources.Storage,
            GpuType = gpu?.ToLowerInvariant(),
            Spec = input.Spec,
        };
    }

    /// <summary>Records who did what to which tenant, with the request id and <paramref name="details"/>.</summary>
    internal static Task<AuditEntry> Audit(IAuditLog audit, HttpContext http, string action, string tenantId, JsonObject? details, CancellationToken cancellationToken) =>
        audit.AppendAsync(AuditEntryOf(http, action, tenantId, details), cancellationToken);

    /// <summary>The entry <see cref="Audit"/> writes, for a store that writes it in the change's own transaction.</summary>
    internal static AuditEntry AuditEntryOf(HttpContext http, string action, string tenantId, JsonObject? details)
    {
        var caller = ApiKeyFilter.CallerOf(http);
        return new AuditEntry
        {
            Time = DateTimeOffset.UtcNow,
            Actor = caller.Admin ? "admin" : $"tenant-key:{caller.Tenant}",
            Action = action,
            TenantId = tenantId,
            DetailsJson = WithRequestId(details ?? [], http).ToJsonString(),
        };
    }

    private static JsonObject WithRequestId(JsonObject details, HttpContext http)
    {
        details["request_id"] = http.TraceIdentifier;
        return details;
    }
}
