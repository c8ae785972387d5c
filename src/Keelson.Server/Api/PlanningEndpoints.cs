using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Keelson.Planning;
using Keelson.Spec.Profiles;
using Keelson.Validation;
using Keelson.Validation.Loading;
using Keelson.Validation.Reporting;
using Microsoft.AspNetCore.Mvc;

namespace Keelson.Server.Api;

/// <summary><c>POST /tenants/calculate-resources</c> and <c>POST /tenants/validate-manifest</c>: planning and validation without saving anything.</summary>
public static class PlanningEndpoints
{
    /// <summary>Maps the routes on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapPlanning(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/tenants/calculate-resources", Calculate)
            .WithName("CalculateResources")
            .WithSummary("Size, place and price a tenant request (or a stack document as application/yaml), without saving it.")
            .Accepts<TenantRequest>("application/json", "application/yaml", "application/x-yaml", "text/yaml")
            .Produces<PlanResponse>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/calculate-resources", CalculateServices)
            .WithName("CalculateServiceResources")
            .WithSummary("The ECP-AI root-level calculation: a bare object of sessions per service (0 = not used), planned by Keelson; gpu_type and cloud_provider as query parameters.")
            .Accepts<Dictionary<string, int>>("application/json")
            .Produces<ServiceCalculation>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/tenants/validate-manifest", Validate)
            .WithName("ValidateManifest")
            .WithSummary("Validate Kubernetes manifests: schema, references, best practice, deprecations, resource summary and cost.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    /// <summary>The tenant id a bare calculation is planned under (nothing is saved).</summary>
    public const string CalculationTenant = "calculation";

    private static async Task<IResult> Calculate(HttpContext http, CancellationToken cancellationToken)
    {
        var (input, problem) = await TenantInput.ReadAsync(http.Request, null, cancellationToken).ConfigureAwait(false);
        if (input is null)
        {
            return problem!;
        }

        var caller = Http.ApiKeyFilter.CallerOf(http);
        return caller.MayAccess(input.Stack.Metadata.Tenant) ? Results.Ok(PlanResponse.From(input.Plan)) : Http.Problems.Forbidden(caller);
    }

    private static async Task<IResult> CalculateServices(HttpContext http, string? gpu_type, string? cloud_provider, CancellationToken cancellationToken)
    {
        var (body, problem) = await Http.JsonBody.ReadObjectAsync(http.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return problem!;
        }

        var request = new TenantRequest
        {
            TenantId = CalculationTenant,
            ServiceRequirements = body.ToDictionary(p => p.Key, p => p.Value?.DeepClone(), StringComparer.Ordinal),
            GpuType = gpu_type,
            CloudProvider = cloud_provider,
        };
        var (stack, errors) = StackFromRequest.Build(request);
        if (stack is null)
        {
            // The body is the service map itself, so its paths lose the service_requirements prefix.
            return Results.ValidationProblem(
                errors.ToDictionary(e => e.Key.StartsWith("service_requirements.", StringComparison.Ordinal) ? e.Key["service_requirements.".Length..] : e.Key == "service_requirements" ? "$" : e.Key, e => e.Value),
                title: "The service counts are not valid", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var planned = Planner.Default.Plan(stack);
        if (!planned.Succeeded)
        {
            return Results.ValidationProblem(planned.Problems.GroupBy(p => p.Path.Length == 0 ? "$" : p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
                title: "The services cannot be planned on their cluster", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        return Results.Ok(ServiceCalculation.From(body, planned.Plan!));
    }

    private static async Task<IResult> Validate(HttpContext http, TenantDatabases databases, ValidateManifestRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.ManifestContent))
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["manifest_content"] = ["is required: the manifests as YAML or JSON, several documents separated by ---"] },
                title: "Nothing to validate", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var caller = Http.ApiKeyFilter.CallerOf(http);
        if (request.TenantId is { Length: > 0 } scoped && !caller.MayAccess(scoped))
        {
            return Http.Problems.Forbidden(caller);
        }

        // A known tenant's manifests are judged on the cluster its plan used.
        var tenant = request.TenantId is { Length: > 0 } id ? await databases.For(Http.DemoModeFilter.IsDemo(http)).Tenants.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
        var tenantCluster = tenant is null ? null : TenantInput.StackOf(tenant.Spec).Stack?.Cluster;
        var profile = request.ClusterProfile is { } named ? ClusterProfiles.Find(named) : tenantCluster ?? ClusterProfiles.Find(StackFromRequest.DefaultProfile);
        if (profile is null)
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["cluster_profile"] = [$"unknown profile; built-in: {string.Join(", ", ClusterProfiles.Names)}"] },
                statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var documents = new List<ManifestDocument>();
        var problems = new List<Finding>();
        ManifestLoader.Parse(request.ManifestContent, "manifest_content", documents, problems);
        var report = Validator.Create(Validation.Checks.KubeVersion.Default, profile).Validate(new LoadResult(documents, problems));
        var summary = ResourceSummary.Compute(documents, profile);
        return Results.Text(ReportWriter.Json(report, summary), "application/json");
    }
}

/// <summary>The ECP-AI root-level calculation's answer: its totals and the preset, with Keelson's whole plan beside them.</summary>
public sealed record ServiceCalculation(
    [property: JsonPropertyName("preset")] string Preset,
    [property: JsonPropertyName("total_channels")] int TotalChannels,
    [property: JsonPropertyName("total_users")] int TotalUsers,
    [property: JsonPropertyName("gpu_requirements")] JsonObject GpuRequirements,
    [property: JsonPropertyName("cpu_requirements")] JsonObject CpuRequirements,
    [property: JsonPropertyName("plan")] PlanResponse Plan)
{
    /// <summary>The answer for the sent counts and their plan: GPUs and CPU cores per planned service, and the GPU type the plan chose.</summary>
    public static ServiceCalculation From(JsonObject counts, Plan plan)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(plan);
        int Count(string name) => counts[name] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 0;
        var gpus = new JsonObject();
        var cpus = new JsonObject();
        foreach (var component in plan.Components.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            if (component.Gpus > 0)
            {
                gpus[component.Name] = component.Gpus;
            }

            cpus[component.Name] = component.Cpu.Value / 1000.0;
        }

        gpus["recommended_type"] = plan.Components.FirstOrDefault(c => c.Gpus > 0)?.Device.ToLowerInvariant();
        return new ServiceCalculation(plan.Preset, Count("callbot") + Count("advisor"), Count("chatbot"), gpus, cpus, PlanResponse.From(plan));
    }
}

/// <summary>The seed's <c>validate-manifest</c> request.</summary>
public sealed record ValidateManifestRequest
{
    /// <summary>The tenant the manifests belong to (informational).</summary>
    [JsonPropertyName("tenant_id")]
    public string? TenantId { get; init; }

    /// <summary>The manifests: YAML or JSON, multi-document.</summary>
    [JsonPropertyName("manifest_content")]
    public string? ManifestContent { get; init; }

    /// <summary>The cluster profile for capacity and cost (default: the tenant's, else aws-gpu).</summary>
    [JsonPropertyName("cluster_profile")]
    public string? ClusterProfile { get; init; }
}
