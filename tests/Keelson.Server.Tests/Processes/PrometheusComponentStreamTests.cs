using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Testing;

namespace Keelson.Server.Tests.Processes;

/// <summary>
/// The production component stream (<c>TenantMonitoring.PollComponentsAsync</c>) against a real <c>prometheus</c>:
/// <c>keelson serve</c> with a one-second <c>ComponentStreamInterval</c>, and a Prometheus scraping both the server's
/// <c>/metrics/pushed</c> and an exporter with per-container series, as a cluster's Prometheus scrapes cAdvisor. A push
/// carries no component (<c>/metrics/pushed</c> labels a series with <c>tenant</c> and <c>mode</c> only), so the
/// per-component values come from the exporter, which this test serves and changes.
/// </summary>
[Collection(ServerProcessTests.Name)]
public sealed class PrometheusComponentStreamTests
{
    private const string Key = "prom-stream-key";

    // What a test turning the loop off sets (00:00:00) to see this test fail.
    private const string StreamInterval = "00:00:01";

    // stream-a's components before and after its second api pod goes from 0.5 to 2 cores, as the messages' Values line.
    private const string Before = "api=cpu_usage_cores:0.75;db=cpu_usage_cores:1.5,memory_usage_bytes:1048576";
    private const string After = "api=cpu_usage_cores:2.25;db=cpu_usage_cores:1.5,memory_usage_bytes:1048576";

    [Fact]
    public async Task The_production_component_socket_streams_the_tenants_values_as_prometheus_scraped_them_and_only_its_own()
    {
        var folder = Directory.CreateTempSubdirectory("keelson-prom-stream-").FullName;
        try
        {
            // Two pods of api (summed), the pause container POD and a demo-mode series (both left out), db with two
            // metrics; another tenant's web.
            await using var exporter = ExpositionServer.Start(Exposition(api2: 0.5));
            var prometheusPort = ExternalProcess.FreePort();
            await using var server = await ServerProcess.StartAsync("C", [
                "--Keelson:DataDirectory", Path.Combine(folder, "data"),
                "--Keelson:AdminKeys:0", Key,
                "--Keelson:Monitoring:Prometheus", $"http://127.0.0.1:{prometheusPort.ToString(CultureInfo.InvariantCulture)}",
                "--Keelson:Monitoring:PrometheusTenantLabel", "tenant",
                "--Keelson:Monitoring:PrometheusMinimumStep", "00:00:01",
                "--Keelson:Monitoring:ComponentStreamInterval", StreamInterval], folder, CancellationToken.None);
            await using var prometheus = await PrometheusServer.StartAsync(server.Url.Authority, "/metrics/pushed", prometheusPort, exporters: [exporter.Authority]);

            foreach (var tenant in new[] { "stream-a", "stream-b" })
            {
                Assert.Equal(HttpStatusCode.Created, await SendAsync(server, HttpMethod.Post, "/api/v1/tenants/", ServerCrashTests.TenantRequest(tenant)));
            }

            // A tenant-level push: Prometheus scrapes it with the tenant's label but no container, so it is no component.
            Assert.Equal(HttpStatusCode.Accepted, await SendAsync(server, HttpMethod.Post, "/api/v1/tenants/stream-a/monitoring", new JsonObject
            {
                ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                ["metrics"] = new JsonObject { ["cpu_usage_cores"] = 65.5 },
            }));
            await prometheus.WaitForAsync("cpu_usage_cores{tenant=\"stream-a\",mode=\"production\",container=\"\"}", TimeSpan.FromSeconds(30));
            await prometheus.WaitForAsync("cpu_usage_cores{tenant=\"stream-a\",container=\"api\"}", TimeSpan.FromSeconds(30));

            using var a = await ConnectAsync(server, "stream-a");
            using var b = await ConnectAsync(server, "stream-b");
            var subscribed = await ReceiveAsync(a, server);
            Assert.Equal(("subscribed", "stream-a", "prometheus"), (subscribed["type"]!.GetValue<string>(), subscribed["tenant_id"]!.GetValue<string>(), subscribed["source"]!.GetValue<string>()));
            Assert.Equal("subscribed", (await ReceiveAsync(b, server))["type"]!.GetValue<string>());

            // The first instant is the exporter's values as Prometheus summed them per container, and equals
            // Prometheus's own sum by (container) at that instant.
            var first = await ReceiveAsync(a, server);
            Assert.Equal(("components", "stream-a"), (first["type"]!.GetValue<string>(), first["tenant_id"]!.GetValue<string>()));
            Assert.Equal(Before, Values(first));
            Assert.Equal(Values(first), await PrometheusValuesAsync(prometheus, "stream-a", Time(first)));

            // The other tenant's socket gets its own component, so the loop does read it, on another socket.
            var other = await ReceiveAsync(b, server);
            Assert.Equal(("stream-b", "web=cpu_usage_cores:7"), (other["tenant_id"]!.GetValue<string>(), Values(other)));

            // A second value of one pod: a later message carries the new sum, as Prometheus has it then.
            exporter.Serve(Exposition(api2: 2));
            var seen = new List<JsonObject> { first };
            JsonObject changed;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            do
            {
                Assert.True(DateTime.UtcNow < deadline, $"No message with api at 2.25 within 30 s: {string.Join(" | ", seen.Select(Values))}\n{server.Output}");
                changed = await ReceiveAsync(a, server);
                seen.Add(changed);
            }
            while (Values(changed) != After);

            Assert.True(Time(changed) > Time(first), $"{Time(changed):o} <= {Time(first):o}");
            Assert.Equal(Values(changed), await PrometheusValuesAsync(prometheus, "stream-a", Time(changed)));

            // Every message on stream-a's socket was stream-a's, in time order, with its components only and either value.
            Assert.All(seen, m => Assert.Equal(("components", "stream-a"), (m["type"]!.GetValue<string>(), m["tenant_id"]!.GetValue<string>())));
            Assert.All(seen, m => Assert.True(Values(m) is Before or After, Values(m)));
            Assert.Equal(seen.Select(Time).Order(), seen.Select(Time));
            Assert.Equal(seen.Count, seen.Select(Time).Distinct().Count());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // The exporter's series; api2 is the value of api's second pod.
    private static string Exposition(double api2) => $$"""
        # TYPE cpu_usage_cores gauge
        cpu_usage_cores{tenant="stream-a",mode="production",pod="api-1",container="api"} 0.25
        cpu_usage_cores{tenant="stream-a",mode="production",pod="api-2",container="api"} {{api2.ToString("R", CultureInfo.InvariantCulture)}}
        cpu_usage_cores{tenant="stream-a",mode="production",pod="api-1",container="POD"} 0.01
        cpu_usage_cores{tenant="stream-a",mode="demo",pod="api-9",container="api"} 100
        cpu_usage_cores{tenant="stream-a",mode="production",pod="db-0",container="db"} 1.5
        cpu_usage_cores{tenant="stream-b",mode="production",pod="web-0",container="web"} 7
        # TYPE memory_usage_bytes gauge
        memory_usage_bytes{tenant="stream-a",mode="production",pod="db-0",container="db"} 1048576

        """;

    // A message's components as one comparable line: component=metric:value,... sorted, components sorted.
    private static string Values(JsonObject message) => string.Join(';', message["components"]!.AsObject()
        .OrderBy(c => c.Key, StringComparer.Ordinal)
        .Select(c => $"{c.Key}=" + string.Join(',', c.Value!.AsObject().OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => $"{m.Key}:{m.Value!.GetValue<double>().ToString("R", CultureInfo.InvariantCulture)}"))));

    // Prometheus's own grouping at that instant, in the same line shape: per container of the tenant's production series.
    private static async Task<string> PrometheusValuesAsync(PrometheusServer prometheus, string tenant, DateTimeOffset at)
    {
        using var http = new HttpClient();
        var query = $"sum by (__name__, container) ({{tenant=\"{tenant}\",mode=~\"|production\",container!=\"\",container!=\"POD\"}})";
        var time = (at.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri(prometheus.Address, $"api/v1/query?query={Uri.EscapeDataString(query)}&time={time}")));
        return string.Join(';', document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
            .Select(s => (Container: s.GetProperty("metric").GetProperty("container").GetString()!, Name: s.GetProperty("metric").GetProperty("__name__").GetString()!,
                Value: double.Parse(s.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))
            .GroupBy(s => s.Container, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key}=" + string.Join(',', g.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => $"{s.Name}:{s.Value.ToString("R", CultureInfo.InvariantCulture)}"))));
    }

    private static DateTimeOffset Time(JsonObject message) => DateTimeOffset.Parse(message["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    // The production stream as a browser opens it: mode and key in the query string.
    private static async Task<ClientWebSocket> ConnectAsync(ServerProcess server, string tenant)
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(new Uri($"ws://{server.Url.Authority}/ws/monitoring/{tenant}/components?mode=production&api_key={Key}"), CancellationToken.None);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // The next message; 20 s is several intervals and scrapes, and a close or a silence fails with the server's log.
    private static async Task<JsonObject> ReceiveAsync(WebSocket socket, ServerProcess server)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        JsonObject? message;
        try
        {
            message = await DeploymentClient.ReceiveAsync(socket, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            message = null;
        }

        Assert.True(message is not null, $"No message within 20 s (socket {socket.State}, {socket.CloseStatus} {socket.CloseStatusDescription})\n{server.Tail(40)}");
        return message;
    }

    private static async Task<HttpStatusCode> SendAsync(ServerProcess server, HttpMethod method, string path, JsonObject body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-API-Key", Key);
        request.Headers.Add("X-Demo-Mode", "false");
        using var response = await server.Http.SendAsync(request);
        return response.StatusCode;
    }
}
