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
            .WithSummary("Size, place and price the services of a tenant request, without saving it.")
            .Produces<PlanResponse>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapPost("/tenants/validate-manifest", Validate)
            .WithName("ValidateManifest")
            .WithSummary("Validate Kubernetes manifests: schema, references, best practice, deprecations, resource summary and cost.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    private static IResult Calculate(TenantRequest request)
    {
        var (stack, errors) = StackFromRequest.Build(request);
        if (stack is null)
        {
            return Results.ValidationProblem(errors, title: "The tenant request is not valid", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        var plan = Planner.Default.Plan(stack);
        return plan.Succeeded
            ? Results.Ok(PlanResponse.From(plan.Plan!))
            : Results.ValidationProblem(
                plan.Problems.GroupBy(p => p.Path.Length == 0 ? "$" : p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
                title: "The request cannot be planned on its cluster", statusCode: StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> Validate(HttpContext http, TenantDatabases databases, ValidateManifestRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.ManifestContent))
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["manifest_content"] = ["is required: the manifests as YAML or JSON, several documents separated by ---"] },
                title: "Nothing to validate", statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        // A known tenant's manifests are judged on the cluster its plan used.
        var tenant = request.TenantId is { Length: > 0 } id ? await databases.For(Http.DemoModeFilter.IsDemo(http)).Tenants.GetAsync(id, cancellationToken).ConfigureAwait(false) : null;
        var tenantProfile = tenant?.Spec is { } spec ? System.Text.Json.JsonSerializer.Deserialize<TenantRequest>(spec)?.ClusterProfile : null;
        var profile = ClusterProfiles.Find(request.ClusterProfile ?? tenantProfile ?? StackFromRequest.DefaultProfile);
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
