using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Server.Http;
using Keelson.Server.Monitoring;
using Microsoft.Extensions.Options;

namespace Keelson.Server.Api;

/// <summary>
/// The ECP-AI advanced-monitoring routes under <c>/simulator/monitoring/advanced</c> (realtime, tenants, sla, alerts) and
/// their WebSocket, all from <see cref="AdvancedMonitoringReport"/>: measured samples of the mode's source (the store,
/// plus the embedded sandbox in demo mode, or Prometheus), never generated numbers.
/// </summary>
public static partial class AdvancedMonitoringEndpoints
{
    /// <summary>How often the WebSocket recomputes its <c>sla</c> body; the updates in between repeat the last one.</summary>
    public static readonly TimeSpan SlaRefresh = TimeSpan.FromMinutes(1);

    /// <summary>The route prefix of the original router.</summary>
    public const string Prefix = "/simulator/monitoring/advanced";

    /// <summary>Maps the four routes on the <c>/api/v1</c> group.</summary>
    public static RouteGroupBuilder MapAdvancedMonitoring(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet(Prefix + "/realtime", async (HttpContext http, TenantDatabases databases, TenantMonitoring monitoring, TimeProvider time, CancellationToken ct) =>
                Results.Ok(await (await ReportAsync(http, databases, monitoring, time, ct).ConfigureAwait(false)).RealtimeAsync(ct).ConfigureAwait(false)))
            .WithName("AdvancedRealtime").WithTags("monitoring").Produces<RealtimeBody>()
            .WithSummary("Per tenant, the mean of each measured figure per 5 minutes of the last hour, newest first; buckets without samples are left out, figures without samples are null.");
        api.MapGet(Prefix + "/tenants", async (HttpContext http, TenantDatabases databases, TenantMonitoring monitoring, TimeProvider time, CancellationToken ct) =>
                Results.Ok(await (await ReportAsync(http, databases, monitoring, time, ct).ConfigureAwait(false)).TenantsAsync(ct).ConfigureAwait(false)))
            .WithName("AdvancedTenants").WithTags("monitoring").Produces<TenantsBody>()
            .WithSummary("Every tenant with its newest figures of the last 10 minutes (null when unmeasured) and its health against the thresholds in force.");
        api.MapGet(Prefix + "/sla", async (HttpContext http, TenantDatabases databases, TenantMonitoring monitoring, TimeProvider time, CancellationToken ct) =>
                Results.Ok(await (await ReportAsync(http, databases, monitoring, time, ct).ConfigureAwait(false)).SlaAsync(ct).ConfigureAwait(false)))
            .WithName("AdvancedSla").WithTags("monitoring").Produces<SlaBody>()
            .WithSummary("Hourly availability, response time, error rate and throughput over all tenants for the last 24 hours (hours with samples only), and the newest against the targets.");
        api.MapGet(Prefix + "/alerts", async (HttpContext http, TenantDatabases databases, TenantMonitoring monitoring, TenantNotifications notifications, TimeProvider time, CancellationToken ct) =>
            {
                var report = await ReportAsync(http, databases, monitoring, time, ct).ConfigureAwait(false);
                var silences = await notifications.Silences(DemoModeFilter.IsDemo(http)).CurrentAsync(ct).ConfigureAwait(false);
                return Results.Ok(await report.AlertsAsync(silences, ct).ConfigureAwait(false));
            })
            .WithName("AdvancedAlerts").WithTags("monitoring").Produces<AlertsBody>()
            .WithSummary("Alerts the alert engine raised in the last 24 hours (newest 100) with total, unresolved and critical counts.");
        return api;
    }

    /// <summary>Maps <c>WS /api/v1/simulator/monitoring/advanced/ws/realtime</c> outside the header filters: browsers cannot set headers on a WebSocket.</summary>
    public static IEndpointRouteBuilder MapAdvancedMonitoringStream(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/v1" + Prefix + "/ws/realtime", StreamAsync).WithName("AdvancedMonitoringStream").WithTags("monitoring")
            .WithSummary("WebSocket: {timestamp, type: \"monitoring_update\", data: {realtime, tenants, sla, alerts}} at once and every Keelson:Monitoring:AdvancedStreamInterval (5 s); ?mode= and ?api_key= as on /ws/monitoring.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<AdvancedMonitoringReport> ReportAsync(HttpContext http, TenantDatabases databases, TenantMonitoring monitoring, TimeProvider time, CancellationToken cancellationToken) =>
        await ReportAsync(DemoModeFilter.IsDemo(http), ApiKeyFilter.CallerOf(http), databases, monitoring, time, cancellationToken).ConfigureAwait(false);

    private static async Task<AdvancedMonitoringReport> ReportAsync(bool demo, Caller caller, TenantDatabases databases, TenantMonitoring monitoring, TimeProvider time, CancellationToken cancellationToken)
    {
        var stores = databases.For(demo);
        var tenants = await VisibleTenants.ListAsync(stores.Tenants, caller, cancellationToken).ConfigureAwait(false);
        return new AdvancedMonitoringReport(stores, monitoring.Source(demo), tenants, time.GetUtcNow());
    }

    private static async Task StreamAsync(HttpContext http, TenantDatabases databases, TenantMonitoring monitoring, TenantNotifications notifications, TimeProvider time,
        IOptions<ServerOptions> options, IssuedKeys keys, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, ILoggerFactory loggers)
    {
        var cancellationToken = http.RequestAborted;
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A WebSocket upgrade is required",
                detail: $"Connect with a WebSocket client, or poll GET /api/v1{Prefix}/realtime.", type: "https://keelson.dev/problems/400").ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        var query = http.Request.Query;
        var mode = (query["mode"].FirstOrDefault() ?? http.Request.Headers[DemoModeFilter.Header].FirstOrDefault())?.Trim().ToLowerInvariant() switch
        {
            "true" or "demo" => true,
            "false" or "production" => false,
            null => options.Value.DefaultMode == ServerMode.Demo,
            _ => (bool?)null,
        };
        if (mode is false && DemoModeFilter.IsDemoOrigin(http, options.Value))
        {
            mode = true;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var caller = mode is { } m ? await keys.AuthenticateAsync(query["api_key"].FirstOrDefault() ?? ApiKeyFilter.Key(http.Request), m, http, cancellationToken).ConfigureAwait(false) : null;
        if (mode is null || caller is null)
        {
            var reason = mode is null ? "mode must be demo or production (or X-Demo-Mode true or false)." : "An API key is required: ?api_key=KEY (production always; demo from other hosts).";
            await SendAsync(socket, new JsonObject { ["timestamp"] = time.GetUtcNow(), ["type"] = "error", ["message"] = reason }, cancellationToken).ConfigureAwait(false);
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, mode is null ? "invalid mode" : "API key required", cancellationToken).ConfigureAwait(false);
            return;
        }

        var logger = loggers.CreateLogger(typeof(AdvancedMonitoringEndpoints).FullName!);
        var interval = monitoring.Settings.AdvancedStreamInterval > TimeSpan.Zero ? monitoring.Settings.AdvancedStreamInterval : TimeSpan.FromSeconds(5);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reading = DrainAsync(socket, stop);
        JsonNode? sla = null;
        var slaAt = DateTimeOffset.MinValue;
        try
        {
            while (!stop.IsCancellationRequested && socket.State == WebSocketState.Open)
            {
                var wait = interval;
                try
                {
                    var report = await ReportAsync(mode.Value, caller, databases, monitoring, time, stop.Token).ConfigureAwait(false);
                    var silences = await notifications.Silences(mode.Value).CurrentAsync(stop.Token).ConfigureAwait(false);

                    // 24 hours of samples per tenant is the costly read, and the UI applies the SLA body at most every 10 minutes.
                    if (sla is null || report.Now - slaAt >= SlaRefresh)
                    {
                        sla = JsonSerializer.SerializeToNode(await report.SlaAsync(stop.Token).ConfigureAwait(false), json.Value.SerializerOptions);
                        slaAt = report.Now;
                    }

                    var data = new JsonObject
                    {
                        ["realtime"] = JsonSerializer.SerializeToNode(await report.RealtimeAsync(stop.Token).ConfigureAwait(false), json.Value.SerializerOptions),
                        ["tenants"] = JsonSerializer.SerializeToNode(await report.TenantsAsync(stop.Token).ConfigureAwait(false), json.Value.SerializerOptions),
                        ["sla"] = sla?.DeepClone(),
                        ["alerts"] = JsonSerializer.SerializeToNode(await report.AlertsAsync(silences, stop.Token).ConfigureAwait(false), json.Value.SerializerOptions),
                    };
                    await SendAsync(socket, new JsonObject { ["timestamp"] = report.Now, ["type"] = "monitoring_update", ["data"] = data }, stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not (OperationCanceledException or WebSocketException or OutOfMemoryException))
                {
                    // As the original: report the failure on the stream and try again after twice the interval.
                    LogUpdateFailed(logger, e);
                    await SendAsync(socket, new JsonObject { ["timestamp"] = time.GetUtcNow(), ["type"] = "error", ["message"] = $"The monitoring update failed: {e.Message}" }, stop.Token).ConfigureAwait(false);
                    wait = interval * 2;
                }

                await Task.Delay(wait, stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client went away.
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);
        }
    }

    // The client sends nothing; reading still answers its close and notices when it has gone.
    private static async Task DrainAsync(WebSocket socket, CancellationTokenSource stop)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var received = await socket.ReceiveAsync(buffer, stop.Token).ConfigureAwait(false);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    private static async Task SendAsync(WebSocket socket, JsonObject message, CancellationToken cancellationToken)
    {
        // A client that stops reading would hold this task; the timeout ends its connection instead.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        await socket.SendAsync(System.Text.Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An advanced monitoring update failed; the stream retries")]
    private static partial void LogUpdateFailed(ILogger logger, Exception exception);
}
