using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Keelson.Operations.Monitoring;
using Keelson.Server.Streams;

namespace Keelson.Server.Monitoring;

/// <summary>One sampling instant of a tenant's components: each component's values at <paramref name="At"/>.</summary>
/// <param name="TenantId">The tenant.</param>
/// <param name="At">The instant.</param>
/// <param name="Components">Each component's samples at that instant, by component name.</param>
public sealed record ComponentInstant(string TenantId, DateTimeOffset At, IReadOnlyList<ComponentSamples> Components)
{
    /// <summary>
    /// The stream's message: <c>{"type": "components", "tenant_id", "timestamp", "components": {"api": {"cpu_usage_percent": 12.5, ...}, ...}}</c>,
    /// the same names as <c>GET .../monitoring/components</c>.
    /// </summary>
    public JsonObject Message()
    {
        var components = new JsonObject();
        foreach (var component in Components)
        {
            var values = new JsonObject();
            foreach (var sample in component.Samples)
            {
                values[sample.MetricName] = sample.Value;
            }

            components[component.Component] = values;
        }

        return new JsonObject
        {
            ["type"] = "components",
            ["tenant_id"] = TenantId,
            ["timestamp"] = At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["components"] = components,
        };
    }
}

/// <summary>
/// <c>WebSocket /ws/monitoring/{tenant_id}/components</c>: each new sampling instant's per-component values of the tenant
/// (demo: the embedded sandbox's workloads as it samples them; production: its Prometheus, read every
/// <see cref="MonitoringSettings.ComponentStreamInterval"/> once per streamed tenant). Authenticated and scoped as
/// <c>/ws/monitoring/{tenant_id}</c> is; a route of its own because its messages have another shape and another source
/// (docs/console.md, "Live streams").
/// </summary>
public static class ComponentSocket
{
    /// <summary>Maps the route (outside the header filters of <c>/ws</c>, as it authenticates itself).</summary>
    public static IEndpointRouteBuilder MapComponentStream(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/ws/monitoring/{tenant_id}/components", StreamAsync).WithName("StreamComponentMetrics").WithTags("monitoring")
            .WithSummary("WebSocket: each new sampling instant's per-component values of the tenant, {\"type\": \"components\", \"timestamp\", \"components\": {name: {metric: value}}}; demo from the sandbox, production from Prometheus.")
            .Produces(StatusCodes.Status101SwitchingProtocols).ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task StreamAsync(HttpContext http, TenantDatabases databases, TenantMonitoring monitoring, Http.IssuedKeys keys, string tenant_id)
    {
        if (await MonitoringSocket.OpenAsync(http, databases, keys, tenant_id, $"query GET /api/v1/tenants/{tenant_id}/monitoring/components").ConfigureAwait(false) is not { } opened)
        {
            return;
        }

        using var socket = opened.Socket;
        if (monitoring.ComponentSource(opened.Demo) is null)
        {
            await StreamSocket.CloseAsync(socket, WebSocketCloseStatus.PolicyViolation,
                opened.Demo ? "No per-component source: sandbox sampling is off (Keelson:Monitoring:SandboxSampleInterval)." : "No per-component source: set Keelson:Monitoring:Prometheus.",
                http.RequestAborted).ConfigureAwait(false);
            return;
        }

        using var subscriber = monitoring.Components.Subscribe(opened.Demo, tenant_id, monitoring.Settings.SubscriberQueue);
        await StreamSocket.SendAsync(socket, new JsonObject { ["type"] = "subscribed", ["tenant_id"] = tenant_id, ["source"] = monitoring.ComponentSource(opened.Demo)!.Name }, http.RequestAborted).ConfigureAwait(false);
        await StreamSocket.PumpAsync(socket, subscriber.Messages, (message, _) => Task.FromResult(socket.State == WebSocketState.Open),
            () => subscriber.Dropped ? $"Dropped: more than {monitoring.Settings.SubscriberQueue} messages were waiting; read faster." : null,
            http.RequestAborted).ConfigureAwait(false);
    }
}
