using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Server;
using Keelson.Server.Tests.Api;
using Keelson.Spec.Profiles;
using Keelson.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Keelson.Server.Tests.Hosting;

/// <summary>
/// Two replicas on one database, one demo cluster and one Redis: a deployment run by the first streams its
/// object-level progress lines to a WebSocket client of the second.
/// </summary>
[Collection(RedisTests.Name)]
public sealed class ProgressRelayTests(RedisServer redis) : IAsyncLifetime
{
    private readonly string shared = Directory.CreateTempSubdirectory("keelson-relay-").FullName;
    private SandboxApiServer facade = null!;
    private string kubeconfig = "";

    public async Task InitializeAsync()
    {
        facade = await SandboxApiServer.StartAsync(new SandboxCluster(new SandboxEngine(ClusterProfiles.Get("aws-gpu"))), new SandboxApiOptions { Speed = 10 }, CancellationToken.None);
        kubeconfig = Path.Combine(shared, "demo.kubeconfig");
        await SandboxKubeconfig.WriteAsync(kubeconfig, facade.Url, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await facade.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(shared, recursive: true);
    }

    [Fact]
    public async Task A_stream_on_one_replica_shows_the_progress_lines_of_a_deployment_another_replica_runs()
    {
        // The streaming replica never looks for work on its own, so the deployment surely runs on the other one.
        await using var streaming = new Replica(shared, kubeconfig, redis.Connection, TimeSpan.FromHours(1));
        await using var running = new Replica(shared, kubeconfig, redis.Connection, TimeSpan.FromSeconds(5));
        using var streamClient = streaming.CreateClient();
        using var client = running.CreateClient();
        client.DefaultRequestHeaders.Add("X-Demo-Mode", "true");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/tenants/", DeploymentEndpointsTests.Request("relay-one"))).StatusCode);

        using var accepted = await client.PostAsync(new Uri("/api/v1/tenants/relay-one/deploy", UriKind.Relative), null);
        var id = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["deployment_id"]!.GetValue<string>();
        var ws = streaming.Server.CreateWebSocketClient();
        ws.ConfigureRequest = request => request.Headers["X-Demo-Mode"] = "true";
        using var socket = await ws.ConnectAsync(new Uri(streaming.Server.BaseAddress, $"ws/deployments/{id}"), CancellationToken.None);
        var messages = new List<JsonObject>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (await DeploymentClient.ReceiveAsync(socket, timeout.Token) is { } message)
        {
            messages.Add(message);
        }

        var last = messages.Last(m => m["type"]!.GetValue<string>() == "deployment")["deployment"]!;
        Assert.Equal("succeeded", last["status"]!.GetValue<string>());
        Assert.Equal(running.Owner, last["runner"]!.GetValue<string>());
        Assert.Contains(messages, m => m["type"]!.GetValue<string>() == "event" && m["step"]!.GetValue<string>() == "verify"
            && m["message"]!.GetValue<string>().StartsWith("revision 1 recorded", StringComparison.Ordinal));
    }

    /// <summary>One server replica on the shared data directory, demo cluster and Redis.</summary>
    private sealed class Replica(string data, string kubeconfig, string redis, TimeSpan scan) : ApiFactory
    {
        /// <summary>The lease owner name of this replica's demo dispatcher.</summary>
        public string? Owner => Services.GetRequiredService<TenantDeployments>().Owner(demo: true);

        protected override void ConfigureSettings(IWebHostBuilder builder)
        {
            builder.UseSetting("Keelson:DataDirectory", data);
            builder.UseSetting("Keelson:Clusters:Demo:Kubeconfig", kubeconfig);
            builder.UseSetting("Keelson:Deployments:ScanInterval", scan.ToString());
            builder.UseSetting("ConnectionStrings:Redis", redis);
        }
    }
}
