using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Keelson.Server.Api;

/// <summary>
/// <c>GET /api/v1/simulator/health</c>, which the ECP-AI settings tab shows (the original never mounted it, so the tab
/// showed an unknown status): Keelson's clusters — the embedded sandbox and the configured ones — answer as the
/// <c>clusters</c> readiness check does.
/// </summary>
public static class SimulatorHealthEndpoints
{
    /// <summary>Maps the route on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapSimulatorHealth(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/simulator/health", Get).WithName("SimulatorHealth").WithTags("monitoring")
            .WithSummary("{status: healthy|unhealthy, message}: whether the deployment clusters (the embedded sandbox, a configured demo or production cluster) answer.")
            .Produces<SimulatorHealth>();
        return api;
    }

    /// <summary>The answer the settings tab reads.</summary>
    public sealed record SimulatorHealth(string Status, string Message);

    private static async Task<IResult> Get(DeploymentClusters clusters, CancellationToken cancellationToken)
    {
        var result = await clusters.CheckHealthAsync(new HealthCheckContext(), cancellationToken).ConfigureAwait(false);
        return Results.Ok(new SimulatorHealth(result.Status == HealthStatus.Healthy ? "healthy" : "unhealthy", result.Description ?? result.Status.ToString()));
    }
}
