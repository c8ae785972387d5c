using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Keelson.Server.Tests.Processes;
using Microsoft.AspNetCore.Hosting;

namespace Keelson.Server.Tests.Api;

/// <summary>The server with the advanced-monitoring WebSocket sending every 200 ms instead of 5 s, and threshold rules synced every 200 ms.</summary>
public sealed class FastStreamApiFactory : ApiFactory
{
    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Keelson:Monitoring:AdvancedStreamInterval", "00:00:00.200");
        builder.UseSetting("Keelson:Alerts:ThresholdSyncInterval", "00:00:00.200");
    }
}

/// <summary>
/// AdvancedMonitoring.tsx's routes and WebSocket over a database of its own (only pending tenants, so no sandbox samples):
/// each figure traced to the pushed samples, null where nothing was measured.
/// </summary>
public sealed class AdvancedMonitoringTests(FastStreamApiFactory factory) : IClassFixture<FastStreamApiFactory>
{
    private const string Advanced = "/api/v1/simulator/monitoring/advanced";

    [Fact]
    public async Task Realtime_tenants_and_sla_show_the_pushed_samples_and_null_for_what_was_not_measured()
    {
        await CreateAsync("adv-measured");
        await CreateAsync("adv-silent");
        var now = DateTimeOffset.UtcNow;
        await PushAsync("adv-measured", now.AddSeconds(-90), new JsonObject { ["cpu_usage"] = 40.0, ["error_rate"] = 2.0, ["response_time"] = 120.0, ["requests_per_second"] = 30.0 });
        await PushAsync("adv-measured", now.AddSeconds(-30), new JsonObject { ["cpu_usage"] = 60.0, ["error_rate"] = 2.0, ["response_time"] = 120.0, ["requests_per_second"] = 50.0 });

        // AdvancedMonitoring.tsx: realtime's metrics[] items. Pushes are stored asynchronously (202), so wait until both have landed.
        var (realtimeStatus, realtime) = await PollAsync($"{Advanced}/realtime", r => r["metrics"]!.AsArray()
            .Any(p => p!["tenant_id"]!.GetValue<string>() == "adv-measured" && p["requests_per_second"]?.GetValue<double>() == 40.0));
        Assert.Equal(HttpStatusCode.OK, realtimeStatus);
        Assert.True(realtime["success"]!.GetValue<bool>());
        var point = realtime["metrics"]!.AsArray().Single(p => p!["tenant_id"]!.GetValue<string>() == "adv-measured")!;
        Assert.Equal((50.0, 120.0, 40.0, 2.0), (point["cpu_usage"]!.GetValue<double>(), point["response_time"]!.GetValue<double>(),
            point["requests_per_second"]!.GetValue<double>(), point["error_rate"]!.GetValue<double>()));
        Assert.All(["memory_usage", "gpu_usage", "network_io", "disk_usage"], field => Assert.Null(point[field]));
        Assert.NotNull(point["timestamp"]);
        Assert.DoesNotContain(realtime["metrics"]!.AsArray(), p => p!["tenant_id"]!.GetValue<string>() == "adv-silent");
        Assert.Equal(realtime["metrics"]!.AsArray().Count, realtime["data_points"]!.GetValue<int>());

        // The tenant comparison: name, status (a string), availability (a number), response_time, throughput, usage.
        var (_, tenants) = await SendAsync(HttpMethod.Get, $"{Advanced}/tenants");
        var measured = tenants["tenants"]!.AsArray().Single(t => t!["tenant_id"]!.GetValue<string>() == "adv-measured")!;
        Assert.Equal(("pending", 60.0, 98.0, 120.0, 50.0, 2.0), (measured["status"]!.GetValue<string>(), measured["cpu_usage"]!.GetValue<double>(),
            measured["availability"]!.GetValue<double>(), measured["response_time"]!.GetValue<double>(), measured["throughput"]!.GetValue<double>(), measured["error_rate"]!.GetValue<double>()));
        Assert.Null(measured["memory_usage"]);
        Assert.Equal(("healthy", "warning"), (measured["health_status"]!.GetValue<string>(), measured["sla_status"]!.GetValue<string>()));
        // The UI calls availability.toFixed(2) on every row: a tenant with nothing measured is named apart, not given a row.
        Assert.DoesNotContain(tenants["tenants"]!.AsArray(), t => t!["tenant_id"]!.GetValue<string>() == "adv-silent");
        Assert.Contains("adv-silent", tenants["unmeasured"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.DoesNotContain("adv-measured", tenants["unmeasured"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.All(tenants["tenants"]!.AsArray(), t => Assert.Equal(System.Text.Json.JsonValueKind.Number, t!["availability"]!.GetValueKind()));
        Assert.Equal(tenants["tenants"]!.AsArray().Count, tenants["total_count"]!.GetValue<int>());

        // SLA: the hour's means over the measured tenants; throughput is the tenants' summed mean rate.
        var (_, sla) = await SendAsync(HttpMethod.Get, $"{Advanced}/sla");
        var hour = sla["metrics"]!.AsArray()[^1]!;
        Assert.Equal((98.0, 120.0, 2.0), (hour["availability"]!.GetValue<double>(), hour["response_time"]!.GetValue<double>(), hour["error_rate"]!.GetValue<double>()));
        Assert.Matches(@"^\d\d:00$", hour["hour"]!.GetValue<string>());
        Assert.Equal((98.0, 99.5, "warning"), (sla["summary"]!["availability"]!["current"]!.GetValue<double>(), sla["summary"]!["availability"]!["target"]!.GetValue<double>(),
            sla["summary"]!["availability"]!["status"]!.GetValue<string>()));
        Assert.Equal("warning", sla["summary"]!["response_time"]!["status"]!.GetValue<string>());

        var (alertsStatus, alerts) = await SendAsync(HttpMethod.Get, $"{Advanced}/alerts");
        Assert.Equal(HttpStatusCode.OK, alertsStatus);
        Assert.NotNull(alerts["summary"]!["last_24h"]);
    }

    [Fact]
    public async Task The_websocket_sends_monitoring_updates_with_the_four_bodies_from_the_store()
    {
        await CreateAsync("ws-measured");
        await PushAsync("ws-measured", DateTimeOffset.UtcNow.AddSeconds(-20), new JsonObject { ["gpu_usage"] = 77.5, ["cpu_usage"] = 33.0, ["error_rate"] = 1.0 });
        await PollAsync($"{Advanced}/realtime", r => r["metrics"]!.AsArray().Any(p => p!["tenant_id"]!.GetValue<string>() == "ws-measured"));

        // The UI connects without headers and sends nothing.
        var client = factory.Server.CreateWebSocketClient();
        using var socket = await client.ConnectAsync(new Uri(factory.Server.BaseAddress, "api/v1/simulator/monitoring/advanced/ws/realtime"), CancellationToken.None);
        var stopwatch = Stopwatch.StartNew();
        var first = await ReceiveAsync(socket);
        var second = await ReceiveAsync(socket);
        stopwatch.Stop();

        foreach (var message in new[] { first, second })
        {
            Assert.Equal("monitoring_update", message["type"]!.GetValue<string>());
            Assert.NotNull(message["timestamp"]);
            var point = message["data"]!["realtime"]!["metrics"]!.AsArray().Single(p => p!["tenant_id"]!.GetValue<string>() == "ws-measured")!;
            Assert.Equal((77.5, 33.0), (point["gpu_usage"]!.GetValue<double>(), point["cpu_usage"]!.GetValue<double>()));
            var tenant = message["data"]!["tenants"]!["tenants"]!.AsArray().Single(t => t!["tenant_id"]!.GetValue<string>() == "ws-measured")!;
            Assert.Equal((77.5, 99.0), (tenant["gpu_usage"]!.GetValue<double>(), tenant["availability"]!.GetValue<double>()));
            Assert.NotNull(message["data"]!["sla"]!["metrics"]);
            Assert.NotNull(message["data"]!["alerts"]!["alerts"]);
        }

        // The configured interval (200 ms) paces the updates; the original's 5 s would have timed out here.
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task A_plain_get_of_the_websocket_route_is_a_400_problem()
    {
        var (status, body) = await SendAsync(HttpMethod.Get, $"{Advanced}/ws/realtime");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("WebSocket", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pythons_websocket_client_receives_monitoring_updates_from_a_real_server()
    {
        var folder = Directory.CreateTempSubdirectory("keelson-advanced-ws-").FullName;
        try
        {
            await using var server = await ServerProcess.StartAsync("A",
                ["--Keelson:DataDirectory", Path.Combine(folder, "data"), "--Keelson:Monitoring:AdvancedStreamInterval", "00:00:00.300"], folder, CancellationToken.None);
            var tenant = new JsonObject { ["tenant_id"] = "py-ws", ["service_requirements"] = new JsonObject { ["chatbot"] = 20 }, ["auto_deploy"] = false };
            using (var created = await server.Http.PostAsync("/api/v1/tenants/", new StringContent(tenant.ToJsonString(), Encoding.UTF8, "application/json")))
            {
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            }

            var push = new JsonObject { ["timestamp"] = Iso(DateTimeOffset.UtcNow.AddSeconds(-10)), ["metrics"] = new JsonObject { ["cpu_usage"] = 64.25, ["error_rate"] = 0.5 } };
            using (var pushed = await server.Http.PostAsync("/api/v1/tenants/py-ws/monitoring", new StringContent(push.ToJsonString(), Encoding.UTF8, "application/json")))
            {
                Assert.Equal(HttpStatusCode.Accepted, pushed.StatusCode);
            }

            // Debian's python3-websocket, as the seed's clients use it: connect, read two frames, print what the UI reads.
            var script = Path.Combine(folder, "advanced_ws.py");
            await File.WriteAllTextAsync(script, """
                import json, sys, websocket
                ws = websocket.create_connection(sys.argv[1], timeout=20)
                out = []
                while len(out) < 2:
                    message = json.loads(ws.recv())
                    points = [p for p in message["data"]["realtime"]["metrics"] if p["tenant_id"] == "py-ws"]
                    if points:
                        out.append({"type": message["type"], "cpu": points[0]["cpu_usage"], "tenants": [t["tenant_id"] for t in message["data"]["tenants"]["tenants"]]})
                ws.close()
                print(json.dumps(out))
                """);
            var url = $"ws://{server.Url.Authority}{Advanced}/ws/realtime";
            var (exit, output, error) = await RunAsync("/usr/bin/python3", script, url);

            Assert.True(exit == 0, $"python3 exited {exit}: {error}\n{server.Output}");
            var frames = JsonNode.Parse(output)!.AsArray();
            Assert.Equal(2, frames.Count);
            Assert.All(frames, f => Assert.Equal(("monitoring_update", 64.25), (f!["type"]!.GetValue<string>(), f["cpu"]!.GetValue<double>())));
            Assert.Equal(["py-ws"], frames[0]!["tenants"]!.AsArray().Select(t => t!.GetValue<string>()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string program, params string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static async Task<JsonNode> ReceiveAsync(WebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonNode.Parse(message.ToArray())!;
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private async Task CreateAsync(string id)
    {
        var body = new JsonObject { ["tenant_id"] = id, ["service_requirements"] = new JsonObject { ["callbot"] = 0, ["chatbot"] = 20, ["qa"] = 0 }, ["auto_deploy"] = false };
        var (status, created) = await SendAsync(HttpMethod.Post, "/api/v1/tenants/", body.ToJsonString());
        Assert.True(status == HttpStatusCode.Created, created.ToJsonString());
    }

    private async Task PushAsync(string tenant, DateTimeOffset at, JsonObject metrics)
    {
        var push = new JsonObject { ["timestamp"] = Iso(at), ["metrics"] = metrics };
        var (status, body) = await SendAsync(HttpMethod.Post, $"/api/v1/tenants/{tenant}/monitoring", push.ToJsonString());
        Assert.True(status == HttpStatusCode.Accepted, body.ToJsonString());
    }

    // Pushes are written in batches; the read sees them once the writer has flushed.
    private async Task<(HttpStatusCode Status, JsonNode Body)> PollAsync(string path, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var answer = await SendAsync(HttpMethod.Get, path);
            if (answer.Status != HttpStatusCode.OK || done(answer.Body) || DateTime.UtcNow > deadline)
            {
                return answer;
            }

            await Task.Delay(100);
        }
    }

    // As the UI sends them: no X-Demo-Mode header, no key.
    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var client = factory.CreateClient();
        var (status, body, _) = await DropInTests.SendWithAsync(client, method, path, json, demo: null);
        return (status, body);
    }
}
