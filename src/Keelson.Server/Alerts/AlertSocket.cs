using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Keelson.Operations.Alerts;
using Keelson.Operations.Notifications;
using Keelson.Server.Api;
using Keelson.Server.Streams;
using Microsoft.Extensions.Options;

namespace Keelson.Server.Alerts;

/// <summary>
/// <c>WebSocket /ws/alerts</c>: alert state changes (<c>{"type": "alert", "from": "pending", "to": "firing", ...}</c>) and
/// notification delivery outcomes (<c>{"type": "notification", "notification": {...}}</c>) as they happen on this
/// server, for every tenant an admin key sees or the one tenant of a tenant key (<c>?tenant=</c> narrows an admin's).
/// Authenticated as the other streams are (<see cref="StreamSocket"/>).
/// </summary>
public static class AlertSocket
{
    /// <summary>Maps the route (outside the header filters of <c>/ws</c>, as it authenticates itself).</summary>
    public static IEndpointRouteBuilder MapAlertStream(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/ws/alerts", StreamAsync).WithName("StreamAlerts").WithTags("alerts")
            .WithSummary("WebSocket: alert state changes and notification delivery outcomes as they happen, of every tenant the key may see (?tenant= narrows an admin's).")
            .Produces(StatusCodes.Status101SwitchingProtocols).ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    /// <summary>The message of one state change of one alert.</summary>
    public static JsonObject Message(AlertTransition transition)
    {
        ArgumentNullException.ThrowIfNull(transition);
        var labels = new JsonObject();
        foreach (var (name, value) in transition.Labels)
        {
            labels[name] = value;
        }

        return new JsonObject
        {
            ["type"] = "alert",
            ["tenant_id"] = transition.TenantId,
            ["rule_name"] = transition.RuleName,
            ["from"] = Phase(transition.From),
            ["to"] = Phase(transition.To),
            ["at"] = transition.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["value"] = double.IsFinite(transition.Value) ? transition.Value : null,
            ["labels"] = labels,
        };
    }

    /// <summary>The message of one delivery attempt's outcome, the notification as <c>GET /api/v1/notifications</c> shows it.</summary>
    public static JsonObject Message(OutboxEntry notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return new JsonObject { ["type"] = "notification", ["tenant_id"] = notification.TenantId, ["notification"] = NotificationEndpoints.Json(notification, []) };
    }

    private static string Phase(AlertPhase phase) => phase switch
    {
        AlertPhase.Pending => "pending",
        AlertPhase.Firing => "firing",
        _ => "inactive",
    };

    private static async Task StreamAsync(HttpContext http, TenantDatabases databases, TenantNotifications notifications, Http.IssuedKeys keys, IOptions<ServerOptions> options, string? tenant)
    {
        if (await StreamSocket.AcceptAsync(http, keys, "read GET /api/v1/alerts/?status=active and GET /api/v1/notifications").ConfigureAwait(false) is not { } opened)
        {
            return;
        }

        using var socket = opened.Socket;
        var cancellationToken = http.RequestAborted;
        var scope = opened.Caller.Admin ? tenant : opened.Caller.Tenant;
        var refusal = !opened.Caller.Admin && tenant is not null && tenant != opened.Caller.Tenant
            ? $"This key may not access tenant '{tenant}'."
            : scope is not null && await databases.For(opened.Demo).Tenants.GetAsync(scope, cancellationToken).ConfigureAwait(false) is null
                ? $"Tenant '{scope}' not found in the {(opened.Demo ? "demo" : "production")} database."
                : null;
        if (refusal is not null)
        {
            await StreamSocket.CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, refusal, cancellationToken).ConfigureAwait(false);
            return;
        }

        var capacity = options.Value.Monitoring.SubscriberQueue;
        using var subscriber = notifications.Feed.Subscribe(opened.Demo, scope, capacity);
        await StreamSocket.SendAsync(socket, new JsonObject { ["type"] = "subscribed", ["tenant_id"] = scope, ["mode"] = opened.Demo ? "demo" : "production" }, cancellationToken).ConfigureAwait(false);
        await StreamSocket.PumpAsync(socket, subscriber.Messages, (_, _) => Task.FromResult(socket.State == WebSocketState.Open),
            () => subscriber.Dropped ? $"Dropped: more than {capacity} messages were waiting; read faster." : null, cancellationToken).ConfigureAwait(false);
    }
}
