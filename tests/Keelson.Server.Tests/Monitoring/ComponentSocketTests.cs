using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Keelson.Server.Tests.Api;
using Keelson.Testing;

namespace Keelson.Server.Tests.Monitoring;

/// <summary><c>/ws/monitoring/{tenant_id}/components</c>: each sampling instant's per-workload values of a tenant deployed to the embedded sandbox.</summary>
public sealed class ComponentSocketTests(SandboxSampledApiFactory factory) : IClassFixture<SandboxSampledApiFactory>
{
    [Fact]
    public async Task Each_sampling_instant_arrives_per_component_and_a_scaled_workload_shows_its_new_pods()
    {
        await SandboxMonitoringTests.DeployAsync(factory, "sbx-comp-ws");
        using var socket = await factory.Server.CreateWebSocketClient().ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/monitoring/sbx-comp-ws/components"), CancellationToken.None);
        var subscribed = await MonitoringSocketTests.ReceiveAsync(socket);
        var first = await MonitoringSocketTests.ReceiveAsync(socket);
        var second = await MonitoringSocketTests.ReceiveAsync(socket);

        Assert.Equal(("subscribed", "sandbox"), (subscribed!["type"]!.GetValue<string>(), subscribed["source"]!.GetValue<string>()));
        Assert.Equal(("components", "sbx-comp-ws"), (first!["type"]!.GetValue<string>(), first["tenant_id"]!.GetValue<string>()));
        Assert.True(Time(second!) > Time(first), $"{Time(second!):o} <= {Time(first):o}");

        // The same components, by the same names, as the query API answers; each with its ready pods.
        using var client = factory.CreateClient();
        var query = (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, "/api/v1/tenants/sbx-comp-ws/monitoring/components?metric=pods_running&hours=1", null, "true", null)).Body;
        var streamed = first["components"]!.AsObject().ToDictionary(c => c.Key, c => c.Value!["pods_running"]!.GetValue<double>());
        Assert.True(streamed.Count >= 2, string.Join(", ", streamed.Keys));
        Assert.Equal(query["components"]!.AsArray().Select(c => c!["component"]!.GetValue<string>()), streamed.Keys.Order(StringComparer.Ordinal));
        Assert.All(streamed.Values, pods => Assert.True(pods >= 1, $"{pods} pods"));

        // kubectl scales one workload up: its pods_running rises in a message within the bound.
        var workload = streamed.Keys.Order(StringComparer.Ordinal).First();
        var kubeconfig = Path.Combine(factory.DataDirectory, "sandbox", "aws-gpu.kubeconfig");
        var kind = (await ExternalProcess.RunAsync("kubectl", ["--kubeconfig", kubeconfig, "get", "deployments,statefulsets", "-n", "sbx-comp-ws", "-o", $"jsonpath={{range .items[?(@.metadata.name==\"{workload}\")]}}{{.kind}}{{end}}"], TimeSpan.FromSeconds(30))).Trim();
        await ExternalProcess.RunAsync("kubectl", ["--kubeconfig", kubeconfig, "scale", kind.ToLowerInvariant(), workload, "-n", "sbx-comp-ws", $"--replicas={(int)streamed[workload] + 2}"], TimeSpan.FromSeconds(30));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        double seen;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, $"{workload} did not show more than {streamed[workload]} ready pods within 20 s");
            var message = await MonitoringSocketTests.ReceiveAsync(socket);
            seen = message!["components"]![workload]?["pods_running"]?.GetValue<double>() ?? 0;
        }
        while (seen <= streamed[workload]);
    }

    private static DateTimeOffset Time(JsonObject message) => DateTimeOffset.Parse(message["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture);
}

/// <summary>The component stream's refusals, on a server that requires keys.</summary>
public sealed class KeyedComponentSocketTests(KeyedApiFactory factory) : IClassFixture<KeyedApiFactory>
{
    [Fact]
    public async Task A_tenant_key_is_refused_another_tenant_and_a_bad_first_message_closes_with_its_reason()
    {
        await MonitoringSocketTests.CreateTenantAsync(factory, "dep-mine", "admin-key-1");
        await MonitoringSocketTests.CreateTenantAsync(factory, "dep-other", "admin-key-1");
        var ws = factory.Server.CreateWebSocketClient();

        using var other = await ws.ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/monitoring/dep-other/components?mode=demo&api_key=mine-key-1"), CancellationToken.None);
        Assert.Contains("may not access tenant 'dep-other'", (await MonitoringSocketTests.ReceiveAsync(other))!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(await MonitoringSocketTests.ReceiveAsync(other));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, other.CloseStatus);

        using var own = await ws.ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/monitoring/dep-mine/components?mode=demo&api_key=mine-key-1"), CancellationToken.None);
        Assert.Equal("subscribed", (await MonitoringSocketTests.ReceiveAsync(own))!["type"]!.GetValue<string>());

        using var garbled = await ws.ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/monitoring/dep-mine/components"), CancellationToken.None);
        await MonitoringSocketTests.SendAsync(garbled, "api_key=mine-key-1");
        Assert.Contains("must be a JSON object", (await MonitoringSocketTests.ReceiveAsync(garbled))!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(await MonitoringSocketTests.ReceiveAsync(garbled));
        Assert.Equal(WebSocketCloseStatus.InvalidPayloadData, garbled.CloseStatus);
    }
}
