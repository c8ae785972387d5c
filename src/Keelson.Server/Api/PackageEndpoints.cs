using System.Text.Json;
using Keelson.Planning;
using Keelson.Rendering;
using Keelson.Rendering.Output;
using Keelson.Server.Http;
using Keelson.Spec.Profiles;

namespace Keelson.Server.Api;

/// <summary>
/// The ECP-AI deployment wizard's manifest routes: <c>generate-manifests</c>, <c>manifest-preview</c> and
/// <c>download-package</c>, each rendered by Keelson's planner and renderer (deterministic: the same requirements
/// give byte-identical manifests and packages).
/// </summary>
public static class PackageEndpoints
{
    private static readonly JsonSerializerOptions SpecJson = new(TenantManifests.RequestJson)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Maps the routes on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapPackages(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/tenants/{tenant_id}/generate-manifests", Generate)
            .WithName("GenerateManifests")
            .WithSummary("Render the manifests of a flat service body (sessions per service, 0 = not used; gpu_type, cloud_provider, tenancy_mode) without saving; the tenant need not exist.")
            .Accepts<Dictionary<string, object>>("application/json")
            .Produces<GeneratedManifests>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/tenants/{tenant_id}/manifest-preview", Preview)
            .WithName("ManifestPreview")
            .WithSummary("What a stored tenant renders to: its requirements, the manifest files, images, per-service sizing and container environment.")
            .Produces<ManifestPreview>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/tenants/{tenant_id}/download-package", DownloadStored)
            .WithName("DownloadStoredPackage")
            .WithSummary("A zip of a stored tenant's manifest tree, README, plan and spec (for an id not saved yet: of the body generate-manifests last rendered for it within the hour); cloud_provider (aws, ncp, iaas) re-plans it on that cloud's cluster profile.")
            .Produces<Stream>(StatusCodes.Status200OK, "application/zip")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/tenants/{tenant_id}/download-package", DownloadPosted)
            .WithName("DownloadPackage")
            .WithSummary("A zip of the manifest tree, README, plan and spec for a flat service body (gpu_type, cloud_provider in the body or query); the tenant need not exist.")
            .Accepts<Dictionary<string, object>>("application/json")
            .Produces<Stream>(StatusCodes.Status200OK, "application/zip")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return api;
    }

    private static async Task<IResult> Generate(HttpContext http, ManifestDrafts drafts, string tenant_id, string? gpu_type, string? tenancy_mode, string? cloud_provider, CancellationToken cancellationToken)
    {
        var (rendered, problem) = await RenderBodyAsync(http, tenant_id, new QueryOptions(gpu_type, tenancy_mode, cloud_provider), cancellationToken).ConfigureAwait(false);
        if (rendered is null)
        {
            return problem!;
        }

        drafts.Remember(DemoModeFilter.IsDemo(http), tenant_id, rendered.Value.Request);
        return Results.Ok(GeneratedManifests.From(rendered.Value.Manifest));
    }

    private static async Task<IResult> DownloadPosted(HttpContext http, string tenant_id, string? gpu_type, string? tenancy_mode, string? cloud_provider, CancellationToken cancellationToken)
    {
        var (rendered, problem) = await RenderBodyAsync(http, tenant_id, new QueryOptions(gpu_type, tenancy_mode, cloud_provider), cancellationToken).ConfigureAwait(false);
        if (rendered is null)
        {
            return problem!;
        }

        var (manifest, request) = rendered.Value;
        return Zip(manifest, "spec.json", JsonSerializer.Serialize(request, SpecJson), null);
    }

    private static async Task<IResult> DownloadStored(HttpContext http, TenantDatabases databases, ManifestDrafts drafts, string tenant_id, string? cloud_provider, CancellationToken cancellationToken)
    {
        string? profile = null;
        if (!string.IsNullOrEmpty(cloud_provider) && (profile = StackFromRequest.ProfileOfCloud(cloud_provider)) is null)
        {
            return FlatServiceBody.Invalid("The cloud provider is not known", new() { ["cloud_provider"] = [$"'{cloud_provider}' has no price list in Keelson; use {string.Join(", ", StackFromRequest.Clouds)}"] });
        }

        var demo = DemoModeFilter.IsDemo(http);
        if (await databases.For(demo).Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is not { } tenant)
        {
            return drafts.Find(demo, tenant_id) is { } draft
                ? DownloadDraft(tenant_id, profile is null ? draft : draft with { CloudProvider = cloud_provider!.ToLowerInvariant(), ClusterProfile = null })
                : Problems.NotFound(tenant_id, $"No tenant '{tenant_id}' is saved and nothing was generated for it in the last hour: save it, call POST /api/v1/tenants/{tenant_id}/generate-manifests first, or POST the service body to this route.");
        }

        var (stack, error) = TenantInput.StackOf(tenant.Spec);
        if (stack is null)
        {
            return Unrenderable(tenant_id, error!);
        }

        var spec = tenant.Spec ?? "{}";
        var stored = StoredRequest(spec);
        string? note = null;
        if (profile is not null && profile != stack.Cluster.Name)
        {
            stack = stack with { Cluster = ClusterProfiles.Get(profile) };
            if (stored is not null)
            {
                spec = JsonSerializer.Serialize(stored with { CloudProvider = cloud_provider!.ToLowerInvariant(), ClusterProfile = null }, SpecJson);
            }
            else
            {
                note = $"planned on {profile} (cloud_provider={cloud_provider}) instead of the cluster the stored stack names";
            }
        }
        else if (stored is not null)
        {
            spec = JsonSerializer.Serialize(stored, SpecJson);
        }

        var (plan, problems) = FlatServiceBody.Plan(stack);
        if (plan is null)
        {
            return FlatServiceBody.Invalid($"Tenant '{tenant_id}' cannot be planned on {stack.Cluster.Name}", problems);
        }

        return Zip(ManifestRenderer.Default.Render(plan, new RenderOptions()), stored is null ? "stack.yaml" : "spec.json", spec, note);
    }

    // What generate-manifests rendered for a tenant that is not saved yet, on the cloud the download names.
    private static IResult DownloadDraft(string tenantId, TenantRequest request)
    {
        var (stack, invalid) = FlatServiceBody.Build(request);
        if (stack is null)
        {
            return FlatServiceBody.Invalid("The request is not valid", invalid);
        }

        var (plan, problems) = FlatServiceBody.Plan(stack);
        return plan is null
            ? FlatServiceBody.Invalid($"Tenant '{tenantId}' cannot be planned on {stack.Cluster.Name}", problems)
            : Zip(ManifestRenderer.Default.Render(plan, new RenderOptions()), "spec.json", JsonSerializer.Serialize(request, SpecJson), null);
    }

    private static async Task<IResult> Preview(HttpContext http, TenantDatabases databases, string tenant_id, CancellationToken cancellationToken)
    {
        if (await databases.For(DemoModeFilter.IsDemo(http)).Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is not { } tenant)
        {
            return Problems.NotFound(tenant_id);
        }

        var (manifest, error) = TenantManifests.Render(tenant.Spec, new RenderOptions());
        return manifest is null ? Unrenderable(tenant_id, error!) : Results.Ok(ManifestPreview.From(tenant, StoredRequest(tenant.Spec ?? "{}"), manifest));
    }

    // The flat body read, checked, planned and rendered; or the 4xx problem.
    private static async Task<((Manifest Manifest, TenantRequest Request)? Rendered, IResult? Problem)> RenderBodyAsync(HttpContext http, string tenantId, QueryOptions query, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return (null, problem);
        }

        var (request, errors) = FlatServiceBody.Read(body, tenantId, query);
        if (request is null)
        {
            return (null, FlatServiceBody.Invalid("The request is not valid", errors));
        }

        var (stack, invalid) = FlatServiceBody.Build(request);
        if (stack is null)
        {
            return (null, FlatServiceBody.Invalid("The request is not valid", invalid));
        }

        var (plan, problems) = FlatServiceBody.Plan(stack);
        return plan is null
            ? (null, FlatServiceBody.Invalid("The services cannot be planned on their cluster", problems))
            : ((ManifestRenderer.Default.Render(plan, new RenderOptions()), request), null);
    }

    private static IResult Zip(Manifest manifest, string specFile, string spec, string? note) =>
        Results.File(DeploymentPackage.Build(manifest, specFile, spec, note), "application/zip", DeploymentPackage.FileName(manifest.Plan.Spec.Metadata.Tenant, manifest.Plan.Preset));

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Unrenderable(string tenantId, string error) =>
        Problems.Conflict($"Tenant '{tenantId}' cannot be rendered", $"{error}. Replace it with PUT /api/v1/tenants/{tenantId}.");

    // The stored seed request, or null when the tenant was created from a stack document.
    private static TenantRequest? StoredRequest(string spec)
    {
        try
        {
            return TenantInput.SeedRequest(spec)?.Deserialize<TenantRequest>(TenantManifests.RequestJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The Kubernetes manifest files of the tree (the scripts and plain monitoring files stay in the package only).</summary>
    internal static IEnumerable<OutputFile> ManifestFiles(Manifest manifest) =>
        TreeLayout.Files(manifest).Where(f => f.Path.EndsWith(".yaml", StringComparison.Ordinal)).OrderBy(f => f.Path, StringComparer.Ordinal);

    /// <summary>GPU type, GPU count and CPU cores of a plan, as the original's estimate names them.</summary>
    internal static ManifestEstimate Estimate(Plan plan) => new(
        plan.Components.FirstOrDefault(c => c.Gpus > 0)?.Device.ToLowerInvariant(),
        plan.Components.Sum(c => c.Gpus),
        plan.Components.Sum(c => c.Cpu.Value) / 1000.0);
}
