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
        api.MapPost("/tenants/validate-manifest", Validate)
            .WithName("ValidateManifest")
            .WithSummary("Validate Kubernetes manifests: schema, references, best practice, deprecations, resource summary and cost.")
            .Produces<JsonObject>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    private static async Task<IResult> Calculate(HttpRequest request, CancellationToken cancellationToken)
    {
        var (input, problem) = await TenantInput.ReadAsync(request, null, cancellationToken).ConfigureAwait(false);
        return input is null ? problem! : Results.Ok(PlanResponse.From(input.Plan));
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
