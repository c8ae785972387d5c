using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Operations.Monitoring;
using Keelson.Server.Http;
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
    private static readonly TimeSpan FirstMessageWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

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
        var cancellationToken = http.RequestAborted;
        if (!http.WebSockets.IsWebSocketRequest)
        {
            await TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "A WebSocket upgrade is required",
                detail: $"Connect with a WebSocket client, or query GET /api/v1/tenants/{tenant_id}/monitoring.", type: "https://keelson.dev/problems/400").ExecuteAsync(http).ConfigureAwait(false);
            return;
        }

        using var socket = await http.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var query = http.Request.Query;
        var mode = Mode(query["mode"].FirstOrDefault() ?? query["demo"].FirstOrDefault() ?? http.Request.Headers[DemoModeFilter.Header].FirstOrDefault());
        var key = query["api_key"].FirstOrDefault() ?? ApiKeyFilter.Key(http.Request);
        var wanted = Split(query["metrics"].FirstOrDefault());
        var caller = await keys.AuthenticateAsync(key, mode ?? true, http, cancellationToken).ConfigureAwait(false);
        JsonObject? first = null;
        if (caller is null)
        {
            // Not enough in the URL and headers: the first message may carry the mode and the key.
            first = await ReceiveAsync(socket, FirstMessageWait, cancellationToken).ConfigureAwait(false);
            mode = Mode(first?["mode"]?.ToString() ?? first?["demo_mode"]?.ToString()) ?? mode;
            key = first?["api_key"]?.ToString() ?? key;
            caller = await keys.AuthenticateAsync(key, mode ?? true, http, cancellationToken).ConfigureAwait(false);
            if (caller is null)
            {
                await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation,
                    key is null ? "An API key is required: ?api_key=KEY, or \"api_key\" in the first message." : "The API key is not valid.", cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        var demo = mode ?? true;
        if (!caller.MayAccess(tenant_id))
        {
            await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, $"This key may not access tenant '{tenant_id}'.", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (await databases.For(demo).Tenants.GetAsync(tenant_id, cancellationToken).ConfigureAwait(false) is null)
        {
            await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, $"Tenant '{tenant_id}' not found in the {(demo ? "demo" : "production")} database.", cancellationToken).ConfigureAwait(false);
            return;
        }

        using var subscription = monitoring.Hub.Subscribe(demo, tenant_id, monitoring.Settings.SubscriberQueue);
        subscription.Select(wanted, active: true);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (first is not null && !await HandleAsync(socket, subscription, tenant_id, first, stop.Token).ConfigureAwait(false))
        {
            return;
        }

        var reading = ReadLoopAsync(socket, subscription, tenant_id, stop);
        try
        {
            await foreach (var message in subscription.Messages.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                await SendAsync(socket, message, stop.Token).ConfigureAwait(false);
            }

            if (subscription.Dropped)
            {
                await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation,
                    $"Dropped: more than {monitoring.Settings.SubscriberQueue} messages were waiting; read faster or subscribe to fewer metrics.", CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);
        }
    }

    private static async Task ReadLoopAsync(WebSocket socket, Subscription subscription, string tenantId, CancellationTokenSource stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var message = await ReceiveAsync(socket, Timeout.InfiniteTimeSpan, stop.Token).ConfigureAwait(false);
                if (socket.State != WebSocketState.Open || !await HandleAsync(socket, subscription, tenantId, message, stop.Token).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
        }

        await stop.CancelAsync().ConfigureAwait(false);
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
            await SendAsync(socket, Error("tenant_id", $"must be '{tenantId}', the tenant of the URL"), cancellationToken).ConfigureAwait(false);
            return true;
        }

        var metrics = message["metrics"] is JsonArray list ? list.Select(m => m?.ToString() ?? "").ToList() : [];
        if (metrics.FirstOrDefault(m => !MetricNames.IsValid(m)) is { } invalid)
        {
            await SendAsync(socket, Error("metrics", $"'{invalid}' is not a metric type or Prometheus metric name"), cancellationToken).ConfigureAwait(false);
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
                await SendAsync(socket, Error("action", "must be subscribe or unsubscribe"), cancellationToken).ConfigureAwait(false);
                return true;
        }

        await SendAsync(socket, new JsonObject { ["type"] = action + "d", ["tenant_id"] = tenantId, ["metrics"] = new JsonArray([.. metrics.Select(m => (JsonNode?)m)]) }, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static JsonObject Error(string field, string message) => new() { ["type"] = "error", ["field"] = field, ["message"] = $"{field} {message}" };

    private static async Task<JsonObject?> ReceiveAsync(WebSocket socket, TimeSpan wait, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (wait != Timeout.InfiniteTimeSpan)
        {
            timeout.CancelAfter(wait);
        }

        var buffer = new byte[4096];
        using var text = new MemoryStream();
        try
        {
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                    return null;
                }

                text.Write(buffer, 0, result.Count);
                if (text.Length > 64 * 1024)
                {
                    await CloseAsync(socket, WebSocketCloseStatus.MessageTooBig, "Client messages are at most 64 KiB.", CancellationToken.None).ConfigureAwait(false);
                    return null;
                }
            }
            while (!result.EndOfMessage);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text.ToArray()) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static Task SendAsync(WebSocket socket, JsonObject message, CancellationToken cancellationToken) =>
        SendAsync(socket, Encoding.UTF8.GetBytes(message.ToJsonString()), cancellationToken);

    private static async Task SendAsync(WebSocket socket, byte[] message, CancellationToken cancellationToken)
    {
        // A client that stops reading fills the TCP window; the timeout ends its connection instead of holding this task forever.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(SendTimeout);
        await socket.SendAsync(message, WebSocketMessageType.Text, true, timeout.Token).ConfigureAwait(false);
    }

    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            // The close reason is limited to 123 bytes; the error message says the rest.
            await SendAsync(socket, new JsonObject { ["type"] = "error", ["message"] = reason }, cancellationToken).ConfigureAwait(false);
            var shortReason = Encoding.UTF8.GetByteCount(reason) <= 123 ? reason : reason[..60];
            await socket.CloseAsync(status, shortReason, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool? Mode(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "true" or "demo" => true,
        "false" or "production" => false,
        _ => null,
    };

    private static List<string> Split(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
