using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Keelson.Server.Tests.Monitoring;
using Keelson.Testing;

namespace Keelson.Server.Tests.Api;

/// <summary><c>/ws/clusters/{cluster_name}</c>: the embedded sandbox's view on connecting, then again when kubectl changes it.</summary>
public sealed class ClusterSocketTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task The_view_arrives_on_connecting_and_again_within_seconds_of_a_scale()
    {
        await SandboxMonitoringTests.DeployAsync(factory, "cl-live");
        using var socket = await factory.Server.CreateWebSocketClient().ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/clusters/aws-gpu"), CancellationToken.None);
        var first = await MonitoringSocketTests.ReceiveAsync(socket);

        Assert.Equal(("cluster", "aws-gpu"), (first!["type"]!.GetValue<string>(), first["view"]!["name"]!.GetValue<string>()));
        Assert.Empty(first["view"]!["pods"]!.AsArray());
        var before = first["view"]!["totals"]!["pod_count"]!.GetValue<int>();
        Assert.True(before > 0);

        // The same totals as the API reads.
        using var client = factory.CreateClient();
        var read = (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, "/api/v1/clusters/aws-gpu?include_pods=false", null, "true", null)).Body;
        Assert.Equal(read["totals"]!.ToJsonString(), first["view"]!["totals"]!.ToJsonString());

        // Two more chatbot pods: a view with them arrives without asking, within the bound.
        var kubeconfig = Path.Combine(factory.DataDirectory, "sandbox", "aws-gpu.kubeconfig");
        var replicas = int.Parse(await ExternalProcess.RunAsync("kubectl", ["--kubeconfig", kubeconfig, "get", "deployment", "chatbot", "-n", "cl-live", "-o", "jsonpath={.spec.replicas}"], TimeSpan.FromSeconds(30)), System.Globalization.CultureInfo.InvariantCulture);
        await ExternalProcess.RunAsync("kubectl", ["--kubeconfig", kubeconfig, "scale", "deployment", "chatbot", "-n", "cl-live", $"--replicas={replicas + 2}"], TimeSpan.FromSeconds(30));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        int count;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, $"No view with more than {before} pods within 20 s of the scale");
            var message = await MonitoringSocketTests.ReceiveAsync(socket);
            Assert.Equal("cluster", message!["type"]!.GetValue<string>());
            count = message["view"]!["totals"]!["pod_count"]!.GetValue<int>();
        }
        while (count <= before);
    }
}

/// <summary>The cluster stream's refusals, on a server that requires keys.</summary>
public sealed class KeyedClusterSocketTests(KeyedApiFactory factory) : IClassFixture<KeyedApiFactory>
{
    [Fact]
    public async Task Another_tenant_an_unknown_cluster_and_a_bad_first_message_are_closed_with_their_reasons()
    {
        var ws = factory.Server.CreateWebSocketClient();
        await AssertClosedAsync(await ws.ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/clusters/aws-gpu?tenant=dep-other&api_key=mine-key-1"), CancellationToken.None),
            "may not access", WebSocketCloseStatus.PolicyViolation);
        await AssertClosedAsync(await ws.ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/clusters/nowhere?api_key=admin-key-1"), CancellationToken.None),
            "Cluster 'nowhere' not found", WebSocketCloseStatus.PolicyViolation);
        var garbled = await ws.ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/clusters/aws-gpu"), CancellationToken.None);
        await MonitoringSocketTests.SendAsync(garbled, "[\"admin-key-1\"]");
        await AssertClosedAsync(garbled, "must be a JSON object", WebSocketCloseStatus.InvalidPayloadData);
        var unknownMode = await ws.ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/clusters/aws-gpu"), CancellationToken.None);
        await MonitoringSocketTests.SendAsync(unknownMode, """{"api_key": "admin-key-1", "mode": "staging"}""");
        await AssertClosedAsync(unknownMode, "mode must be demo or production; got 'staging'", WebSocketCloseStatus.PolicyViolation);
    }

    /// <summary>Reads the error message and the close that follows it.</summary>
    internal static async Task AssertClosedAsync(WebSocket socket, string reason, WebSocketCloseStatus status)
    {
        using (socket)
        {
            var error = await MonitoringSocketTests.ReceiveAsync(socket);
            Assert.Equal("error", error!["type"]!.GetValue<string>());
            Assert.Contains(reason, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Null(await MonitoringSocketTests.ReceiveAsync(socket));
            Assert.Equal(status, socket.CloseStatus);
        }
    }
}
