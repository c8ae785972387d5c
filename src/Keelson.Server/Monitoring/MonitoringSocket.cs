using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Keelson.Operations.Monitoring;
using Keelson.Server.Streams;
using Microsoft.Extensions.Options;

namespace Keelson.Server.Monitoring;

/// <summary>
/// <c>WebSocket /ws/monitoring/{tenant_id}</c>: samples of the tenant as they are stored. Browsers cannot set headers
/// on a WebSocket, so the mode and the key may come in the query string (<c>?mode=production&amp;api_key=KEY</c>) or in the
/// first message (<c>{"action": "subscribe", "mode": "production", "api_key": "KEY", ...}</c>) as well as in the
/// <c>X-Demo-Mode</c> and key headers; with none, the stream is the open demo (loopback only), as the seed's examples expect.
/// </summary>
public static class MonitoringSocket
{
    /// <summary>Maps the route (outside the header filters of <c>/ws</c>, as it authenticates itself).</summary>
    public static IEndpointRouteBuilder MapMonitoringStream(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/ws/monitoring/{tenant_id}", StreamAsync).WithName("StreamMetrics").WithTags("monitoring")
            .WithSummary("WebSocket: the tenant's pushed samples as they are stored; {\"action\": \"subscribe\"|\"unsubscribe\", \"metrics\": [...]} chooses which.")
            .Produces(StatusCodes.Status101SwitchingProtocols).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task StreamAsync(HttpContext http, TenantDatabases databases, TenantMonitoring monitoring, Http.IssuedKeys keys, string tenant_id)
    {
        if (await OpenAsync(http, databases, keys, tenant_id, $"query GET /api/v1/tenants/{tenant_id}/monitoring").ConfigureAwait(false) is not { } opened)
        {
            return;
        }

        using var socket = opened.Socket;
        var cancellationToken = http.RequestAborted;
        using var subscription = monitoring.Hub.Subscribe(opened.Demo, tenant_id, monitoring.Settings.SubscriberQueue);
        subscription.Select(Split(http.Request.Query["metrics"].FirstOrDefault()), active: true);
        if (opened.First is not null && !await HandleAsync(socket, subscription, tenant_id, opened.First, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await StreamSocket.PumpAsync(socket, subscription.Messages, (message, token) => HandleAsync(socket, subscription, tenant_id, message, token),
            () => subscription.Dropped ? $"Dropped: more than {monitoring.Settings.SubscriberQueue} messages were waiting; read faster or subscribe to fewer metrics." : null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Accepts and authenticates a stream of one tenant's numbers: closed with the reason when the key may not see the
    /// tenant or the mode's database has no such tenant; null then.
    /// </summary>
    internal static async Task<OpenedSocket?> OpenAsync(HttpContext http, TenantDatabases databases, Http.IssuedKeys keys, string tenantId, string instead)
    {
        if (await StreamSocket.AcceptAsync(http, keys, instead).ConfigureAwait(false) is not { } opened)
        {
            return null;
        }

        var refusal = !opened.Caller.MayAccess(tenantId)
            ? $"This key may not access tenant '{tenantId}'."
            : await databases.For(opened.Demo).Tenants.GetAsync(tenantId, http.RequestAborted).ConfigureAwait(false) is null
                ? $"Tenant '{tenantId}' not found in the {(opened.Demo ? "demo" : "production")} database."
                : null;
        if (refusal is null)
        {
            return opened;
        }

        await StreamSocket.CloseAsync(opened.Socket, WebSocketCloseStatus.PolicyViolation, refusal, http.RequestAborted).ConfigureAwait(false);
        opened.Socket.Dispose();
        return null;
    }

    /// <summary>Applies one client message; false when the connection should end.</summary>
    private static async Task<bool> HandleAsync(WebSocket socket, Subscription subscription, string tenantId, JsonObject? message, CancellationToken cancellationToken)
    {
        if (message is null)
        {
            return socket.State == WebSocketState.Open;
        }

        var action = message["action"]?.ToString() ?? "subscribe";
        if (message["tenant_id"]?.ToString() is { } named && named != tenantId)
        {
            await StreamSocket.SendAsync(socket, StreamSocket.Error("tenant_id", $"must be '{tenantId}', the tenant of the URL"), cancellationToken).ConfigureAwait(false);
            return true;
        }

        var metrics = message["metrics"] is JsonArray list ? list.Select(m => m?.ToString() ?? "").ToList() : [];
        if (metrics.FirstOrDefault(m => !MetricNames.IsValid(m)) is { } invalid)
        {
            await StreamSocket.SendAsync(socket, StreamSocket.Error("metrics", $"'{invalid}' is not a metric type or Prometheus metric name"), cancellationToken).ConfigureAwait(false);
            return true;
        }

        switch (action)
        {
            case "subscribe":
                subscription.Select(metrics, active: true);
                break;
            case "unsubscribe":
                subscription.Select([], active: false);
                break;
            default:
                await StreamSocket.SendAsync(socket, StreamSocket.Error("action", "must be subscribe or unsubscribe"), cancellationToken).ConfigureAwait(false);
                return true;
        }

        await StreamSocket.SendAsync(socket, new JsonObject { ["type"] = action + "d", ["tenant_id"] = tenantId, ["metrics"] = new JsonArray([.. metrics.Select(m => (JsonNode?)m)]) }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static List<string> Split(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
