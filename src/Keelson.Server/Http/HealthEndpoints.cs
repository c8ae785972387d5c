using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Keelson.Server.Http;

/// <summary>
/// The ECP-AI backend's <c>/health</c> and <c>/ready</c> in its shapes, but with real checks behind <c>/ready</c>
/// (the same ones as <c>/health/ready</c>: both databases, the configured clusters, and Redis when configured).
/// </summary>
public static class HealthEndpoints
{
    private static readonly string Version =
        typeof(HealthEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Maps <c>GET /health</c> and <c>GET /ready</c> at the root.</summary>
    public static IEndpointRouteBuilder MapCompatibleHealth(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/health", (TimeProvider time) => Results.Ok(new Liveness("healthy", "keelson", Version, time.GetUtcNow())))
            .WithName("Health").WithTags("health").WithSummary("The process answers (liveness); nothing else is checked.").Produces<Liveness>();
        app.MapGet("/ready", ReadyAsync).WithName("Ready").WithTags("health")
            .WithSummary("Whether the databases, the configured clusters and Redis answer; 503 with the failing check otherwise.")
            .Produces<Readiness>().Produces<Readiness>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }

    private static async Task<IResult> ReadyAsync(HealthCheckService health, TenantDatabases databases, CancellationToken cancellationToken)
    {
        var report = await health.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        string Of(string name) => report.Entries.TryGetValue(name, out var entry) && entry.Status != HealthStatus.Healthy ? $"error: {entry.Description}" : "ok";
        var redis = "not configured";
        if (databases.IsOpen && databases.For(true).Redis is { } connection)
        {
            try
            {
                await connection.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
                redis = "ok";
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                redis = $"error: {e.Message}";
            }
        }

        var checks = new ReadinessChecks(Of("databases"), Of("clusters"), redis);
        var ready = report.Status == HealthStatus.Healthy && !redis.StartsWith("error", StringComparison.Ordinal);
        return Results.Json(new Readiness(ready ? "ready" : "not_ready", checks), statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}

/// <summary>The answer of <c>/health</c>.</summary>
public sealed record Liveness(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("service")] string Service,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp);

/// <summary>The answer of <c>/ready</c>.</summary>
public sealed record Readiness(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("checks")] ReadinessChecks Checks);

/// <summary>Each dependency: <c>ok</c>, <c>not configured</c>, or <c>error: why</c>.</summary>
public sealed record ReadinessChecks(
    [property: JsonPropertyName("database")] string Database,
    [property: JsonPropertyName("kubernetes")] string Kubernetes,
    [property: JsonPropertyName("redis")] string Redis);
