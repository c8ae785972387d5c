using System.Text.Json;
using Keelson.Operations.Monitoring;
using Keelson.Server.Http;
using Keelson.Server.Monitoring;

namespace Keelson.Server.Api;

/// <summary>Pushed metrics: the seed's <c>POST</c> and <c>GET /tenants/{tenant_id}/monitoring</c>, and a batch push for agents.</summary>
public static class MonitoringEndpoints
{
    /// <summary>Maps the routes on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapMonitoring(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/tenants/{tenant_id}/monitoring", PushTenant).WithName("PushMetrics").WithTags("monitoring")
            .WithSummary("Store the seed's {timestamp, metrics} (or {batch: [...]}) for the tenant; 202 once queued for the batched writer.")
            .Produces<PushAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapPost("/monitoring", PushBatch).WithName("PushMetricsBatch").WithTags("monitoring")
            .WithSummary("Store {batch: [{tenant_id, timestamp, metrics}, ...]} for several tenants at once.")
            .Produces<PushAccepted>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapGet("/tenants/{tenant_id}/monitoring", MonitoringQueryEndpoint.Query).WithName("QueryMetrics").WithTags("monitoring")
            .WithSummary("The seed's ?metric_type=cpu&hours=24, plus metric, start, end, step and aggregation (avg, min, max, p95, last, rate): points and a summary per series.")
            .Produces<MonitoringQueryEndpoint.MetricsAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/tenants/{tenant_id}/monitoring/components", MonitoringQueryEndpoint.Components).WithName("QueryComponentMetrics").WithTags("monitoring")
            .WithSummary("The same query per component of the tenant (a workload of its stack): from the demo sandbox, or production's Prometheus by its component label; source 'none' with no components when neither is there.")
            .Produces<MonitoringQueryEndpoint.ComponentsAnswer>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status502BadGateway);
        return api;
    }

    /// <summary>The JSON answer to an accepted push.</summary>
    public sealed record PushAccepted(string Status, IReadOnlyList<string> TenantIds, int Samples);

    private static Task<IResult> PushTenant(HttpContext http, TenantDatabases databases, TenantMonitoring monitoring, string tenant_id, CancellationToken cancellationToken) =>
        PushAsync(http, databases, monitoring, tenant_id, cancellationToken);

    private static Task<IResult> PushBatch(HttpContext http, TenantDatabases databases, TenantMonitoring monitoring, CancellationToken cancellationToken) =>
        PushAsync(http, databases, monitoring, null, cancellationToken);

    private static async Task<IResult> PushAsync(HttpContext http, TenantDatabases databases, TenantMonitoring monitoring, string? tenantId, CancellationToken cancellationToken)
    {
        var demo = DemoModeFilter.IsDemo(http);
        var stores = databases.For(demo);
        if (tenantId is not null && await stores.Tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false) is null)
        {
            return Problems.NotFound(tenantId);
        }

        var settings = monitoring.Settings;
        var (body, unreadable) = await ReadBodyAsync(http.Request, settings.MaxPushBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return unreadable!;
        }

        using (body)
        {
            var retention = (await monitoring.Retention.CurrentAsync(cancellationToken).ConfigureAwait(false)).Windows.Raw;
            var (samples, errors) = MetricPush.Parse(body.RootElement, tenantId, TimeProvider.System.GetUtcNow(), settings, retention);
            if (errors.Count > 0)
            {
                return Results.ValidationProblem(errors, title: "The metrics push is not valid; nothing was stored", statusCode: StatusCodes.Status422UnprocessableEntity);
            }

            if (samples.Count > settings.MaxSamplesPerPush)
            {
                return TooLarge($"The push carries {samples.Count} samples; at most {settings.MaxSamplesPerPush} (Keelson:Monitoring:MaxSamplesPerPush) are accepted in one request. Split it.");
            }

            var caller = ApiKeyFilter.CallerOf(http);
            var tenants = samples.Select(s => s.TenantId).Distinct(StringComparer.Ordinal).ToList();
            foreach (var tenant in tenants.Where(t => t != tenantId))
            {
                if (!caller.MayAccess(tenant))
                {
                    return Problems.Forbidden(caller);
                }

                if (await stores.Tenants.GetAsync(tenant, cancellationToken).ConfigureAwait(false) is null)
                {
                    return Problems.NotFound(tenant);
                }
            }

            var outcome = await monitoring.Writer(demo).PushAsync(samples, cancellationToken).ConfigureAwait(false);
            switch (outcome)
            {
                case PushOutcome.QueueFull full:
                    http.Response.Headers.RetryAfter = "1";
                    return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The metrics writer is behind; nothing was stored",
                        detail: $"{full.Capacity} samples (Keelson:Monitoring:QueueCapacity) are waiting to be written. Retry after a second.",
                        type: "https://keelson.dev/problems/metrics-queue-full", extensions: new Dictionary<string, object?> { ["queue_capacity"] = full.Capacity });
                case PushOutcome.SeriesLimitExceeded limit:
                    return TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "The tenant's series limit would be exceeded; nothing was stored",
                        detail: $"Tenant '{limit.TenantId}' has {limit.Existing} series and the push adds {limit.NewSeries.Count} ({string.Join(", ", limit.NewSeries.Take(10))}); the limit is {limit.Limit} (Keelson:Monitoring:MaxSeriesPerTenant).",
                        type: "https://keelson.dev/problems/series-limit",
                        extensions: new Dictionary<string, object?> { ["limit"] = limit.Limit, ["existing"] = limit.Existing, ["new_series"] = limit.NewSeries });
                default:
                    return TypedResults.Accepted((string?)null, new PushAccepted("accepted", tenants, samples.Count));
            }
        }
    }

    private static async Task<(JsonDocument? Body, IResult? Problem)> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return (null, TooLarge($"The body has {request.ContentLength} bytes; a push may have at most {limit} (Keelson:Monitoring:MaxPushBytes)."));
        }

        byte[] bytes;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > limit)
                {
                    return (null, TooLarge($"The body is over {limit} bytes (Keelson:Monitoring:MaxPushBytes)."));
                }
            }

            bytes = buffer.ToArray();
        }
        catch (BadHttpRequestException e)
        {
            return (null, TypedResults.Problem(statusCode: e.StatusCode, title: "The body could not be read", detail: e.Message, type: $"https://keelson.dev/problems/{e.StatusCode}"));
        }

        try
        {
            return (JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 }), null);
        }
        catch (JsonException)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The body is not JSON; nothing was stored",
                detail: $"The JSON breaks at {MetricPush.Locate(bytes)}. Values must be JSON numbers: NaN and Infinity are not numbers in JSON.",
                type: "https://keelson.dev/problems/400", extensions: new Dictionary<string, object?> { ["field"] = MetricPush.Locate(bytes) }));
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult TooLarge(string detail) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge, title: "The metrics push is too large; nothing was stored", detail: detail, type: "https://keelson.dev/problems/413");
}
