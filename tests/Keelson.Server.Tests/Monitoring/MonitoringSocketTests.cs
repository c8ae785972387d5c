using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Keelson.Server.Tests.Api;

namespace Keelson.Server.Tests.Monitoring;

public sealed class MonitoringSocketTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task Without_headers_or_subscribe_a_client_receives_each_push_with_types_at_the_top_level()
    {
        await CreateTenantAsync(factory, "ws-open", key: null);
        using var socket = await factory.Server.CreateWebSocketClient().ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/monitoring/ws-open"), CancellationToken.None);
        await WaitSubscribedAsync(factory, 1);

        await PushAsync(factory, "ws-open", """{"metrics": {"cpu_usage": 65.5, "memory_usage": 78.2, "gpu_usage": 85.0}}""", key: null);
        var message = await ReceiveAsync(socket);

        Assert.Equal((65.5, 78.2, 85.0), (message!["cpu"]!.GetValue<double>(), message["memory"]!.GetValue<double>(), message["gpu"]!.GetValue<double>()));
        Assert.Equal("ws-open", message["tenant_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Subscribe_narrows_the_metrics_and_unsubscribe_stops_them()
    {
        await CreateTenantAsync(factory, "ws-sub", key: null);
        using var socket = await factory.Server.CreateWebSocketClient().ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/monitoring/ws-sub"), CancellationToken.None);
        await SendAsync(socket, """{"action": "subscribe", "tenant_id": "ws-sub", "metrics": ["memory"]}""");
        Assert.Equal("subscribed", (await ReceiveAsync(socket))!["type"]!.GetValue<string>());

        await PushAsync(factory, "ws-sub", """{"metrics": {"cpu_usage": 1, "memory_usage": 2}}""", key: null);
        var message = await ReceiveAsync(socket);
        await SendAsync(socket, """{"action": "unsubscribe", "tenant_id": "ws-sub"}""");
        var unsubscribed = await ReceiveAsync(socket);
        await PushAsync(factory, "ws-sub", """{"metrics": {"memory_usage": 3}}""", key: null);
        await SendAsync(socket, """{"action": "subscribe", "tenant_id": "other"}""");
        var error = await ReceiveAsync(socket);

        Assert.Equal(2.0, message!["memory"]!.GetValue<double>());
        Assert.Null(message["cpu"]);
        Assert.Equal("unsubscribed", unsubscribed!["type"]!.GetValue<string>());
        Assert.Equal(("error", "tenant_id"), (error!["type"]!.GetValue<string>(), error["field"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_thousand_subscribers_of_one_tenant_each_receive_every_push_with_their_own_selection()
    {
        const int Subscribers = 1000;
        await CreateTenantAsync(factory, "ws-many", key: null);
        var hub = ((Keelson.Server.Monitoring.TenantMonitoring)factory.Services.GetService(typeof(Keelson.Server.Monitoring.TenantMonitoring))!).Hub;
        var before = hub.Count;
        var sockets = new WebSocket[Subscribers];
        try
        {
            await Parallel.ForAsync(0, Subscribers, async (i, _) =>
            {
                // Odd subscribers narrow to memory in the URL; even ones take every metric.
                var path = i % 2 == 0 ? "ws/monitoring/ws-many" : "ws/monitoring/ws-many?metrics=memory";
                sockets[i] = await factory.Server.CreateWebSocketClient().ConnectAsync(new Uri(factory.Server.BaseAddress, path), CancellationToken.None);
            });
            await WaitSubscribedAsync(factory, before + Subscribers);
            Assert.Equal(before + Subscribers, hub.Count);

            for (var push = 1; push <= 3; push++)
            {
                await PushAsync(factory, "ws-many", $$$"""{"metrics": {"cpu_usage": {{{push}}}, "memory_usage": {{{push * 10}}}}}""", key: null);
            }

            var received = new (double? Cpu, double Memory)[Subscribers][];
            await Parallel.ForAsync(0, Subscribers, async (i, _) =>
            {
                var messages = new (double?, double)[3];
                for (var m = 0; m < 3; m++)
                {
                    var message = await ReceiveAsync(sockets[i]);
                    messages[m] = (message!["cpu"]?.GetValue<double>(), message["memory"]!.GetValue<double>());
                }

                received[i] = messages;
            });

            for (var i = 0; i < Subscribers; i++)
            {
                Assert.Equal(i % 2 == 0 ? [(1.0, 10.0), (2.0, 20.0), (3.0, 30.0)] : new (double?, double)[] { (null, 10), (null, 20), (null, 30) }, received[i]);
            }
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket?.Dispose();
            }
        }
    }

    internal static async Task CreateTenantAsync(ApiFactory factory, string id, string? key)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/") { Content = JsonContent.Create(DeploymentEndpointsTests.Request(id)) };
        request.Headers.Add("X-Demo-Mode", "true");
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }

        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode || (int)response.StatusCode == 409, await response.Content.ReadAsStringAsync());
    }

    internal static async Task PushAsync(ApiFactory factory, string tenant, string json, string? key)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tenants/{tenant}/monitoring") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Demo-Mode", "true");
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    // The socket subscribes after the upgrade completes on the server; a push before that would not reach it.
    internal static async Task WaitSubscribedAsync(ApiFactory factory, int count)
    {
        var hub = ((Keelson.Server.Monitoring.TenantMonitoring)factory.Services.GetService(typeof(Keelson.Server.Monitoring.TenantMonitoring))!).Hub;
        for (var i = 0; i < 200 && hub.Count < count; i++)
        {
            await Task.Delay(25);
        }
    }

    internal static async Task SendAsync(WebSocket socket, string json) =>
        await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);

    internal static async Task<JsonObject?> ReceiveAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await DeploymentClient.ReceiveAsync(socket, timeout.Token);
    }
}

public sealed class KeyedMonitoringSocketTests(KeyedApiFactory factory) : IClassFixture<KeyedApiFactory>
{
    [Fact]
    public async Task Without_a_key_the_socket_is_closed_with_a_policy_violation()
    {
        using var socket = await factory.Server.CreateWebSocketClient().ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/monitoring/dep-mine"), CancellationToken.None);
        await MonitoringSocketTests.SendAsync(socket, """{"action": "subscribe", "metrics": ["cpu"]}""");

        var error = await MonitoringSocketTests.ReceiveAsync(socket);
        var closed = await MonitoringSocketTests.ReceiveAsync(socket);

        Assert.Equal("error", error!["type"]!.GetValue<string>());
        Assert.Contains("API key is required", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(closed);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
    }

    [Fact]
    public async Task A_key_in_the_query_string_or_the_first_message_is_accepted_and_scoped()
    {
        await MonitoringSocketTests.CreateTenantAsync(factory, "dep-mine", "admin-key-1");
        var ws = factory.Server.CreateWebSocketClient();
        using var byQuery = await ws.ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/monitoring/dep-mine?mode=demo&api_key=mine-key-1&metrics=cpu"), CancellationToken.None);
        using var byMessage = await ws.ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/monitoring/dep-mine"), CancellationToken.None);
        await MonitoringSocketTests.SendAsync(byMessage, """{"action": "subscribe", "tenant_id": "dep-mine", "mode": "demo", "api_key": "admin-key-1", "metrics": ["cpu"]}""");
        Assert.Equal("subscribed", (await MonitoringSocketTests.ReceiveAsync(byMessage))!["type"]!.GetValue<string>());
        using var otherTenant = await ws.ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/monitoring/dep-other?mode=demo&api_key=mine-key-1"), CancellationToken.None);
        await MonitoringSocketTests.WaitSubscribedAsync(factory, 2);

        await MonitoringSocketTests.PushAsync(factory, "dep-mine", """{"metrics": {"cpu_usage": 42}}""", "mine-key-1");

        Assert.Equal(42.0, (await MonitoringSocketTests.ReceiveAsync(byQuery))!["cpu"]!.GetValue<double>());
        Assert.Equal(42.0, (await MonitoringSocketTests.ReceiveAsync(byMessage))!["cpu"]!.GetValue<double>());
        Assert.Contains("may not access", (await MonitoringSocketTests.ReceiveAsync(otherTenant))!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(await MonitoringSocketTests.ReceiveAsync(otherTenant));
    }
}
