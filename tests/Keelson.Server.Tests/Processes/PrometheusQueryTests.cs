using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Keelson.Testing;

namespace Keelson.Server.Tests.Processes;

/// <summary>
/// <c>keelson serve</c> with <c>Keelson:Monitoring:Prometheus</c> set, and a real <c>prometheus</c> scraping the
/// server's <c>/metrics/pushed</c>: a production push reaches Prometheus with its tenant label, and the production query
/// answers from Prometheus (saying so) with the pushed value.
/// </summary>
[Collection(ServerProcessTests.Name)]
public sealed class PrometheusQueryTests
{
    private const string Key = "prom-admin-key";

    [Fact]
    public async Task A_production_query_is_answered_by_prometheus_scraping_the_pushed_samples()
    {
        var folder = Directory.CreateTempSubdirectory("keelson-prom-query-").FullName;
        try
        {
            var (server, prometheus) = await StartAsync("P", folder);
            await using var serverLifetime = server;
            await using var prometheusLifetime = prometheus;

            Assert.Equal(HttpStatusCode.Created, await SendAsync(server, HttpMethod.Post, "/api/v1/tenants/", ServerCrashTests.TenantRequest("prom-acme"), demo: false));
            Assert.Equal(HttpStatusCode.Created, await SendAsync(server, HttpMethod.Post, "/api/v1/tenants/", ServerCrashTests.TenantRequest("prom-acme"), demo: true));
            var now = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
            Assert.Equal(HttpStatusCode.Accepted, await SendAsync(server, HttpMethod.Post, "/api/v1/tenants/prom-acme/monitoring",
                new JsonObject { ["timestamp"] = now, ["metrics"] = new JsonObject { ["cpu_usage"] = 65.5, ["memory_usage"] = 78.2 } }, demo: false));
            Assert.Equal(HttpStatusCode.Accepted, await SendAsync(server, HttpMethod.Post, "/api/v1/tenants/prom-acme/monitoring",
                new JsonObject { ["timestamp"] = now, ["metrics"] = new JsonObject { ["cpu_usage"] = 12.25 } }, demo: true));

            // The scrape: the pushed value under its own name with the tenant and mode labels.
            var scraped = await prometheus.WaitForAsync("cpu_usage{tenant=\"prom-acme\",mode=\"production\"}", TimeSpan.FromSeconds(30));
            var series = Assert.Single(scraped.EnumerateArray());
            Assert.Equal("65.5", series.GetProperty("value")[1].GetString());
            Assert.Equal("keelson", series.GetProperty("metric").GetProperty("job").GetString());

            // Let a few more scrapes land so the range query has points.
            await Task.Delay(TimeSpan.FromSeconds(3));
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tenants/prom-acme/monitoring?metric_type=cpu&hours=1");
            request.Headers.Add("X-API-Key", Key);
            request.Headers.Add("X-Demo-Mode", "false");
            using var response = await server.Http.SendAsync(request);
            var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.True(response.StatusCode == HttpStatusCode.OK, answer.ToJsonString());
            Assert.Equal("prometheus", answer["source"]!.GetValue<string>());
            var cpu = Assert.Single(answer["series"]!.AsArray())!;
            Assert.Equal("cpu_usage", cpu["metric_name"]!.GetValue<string>());
            // Both modes' scraped series carry tenant="prom-acme"; production reads only mode="production" (65.5), never demo's 12.25.
            Assert.Equal(65.5, cpu["summary"]!["last"]!.GetValue<double>());
            Assert.Equal(65.5, cpu["summary"]!["max"]!.GetValue<double>());

            // Demo still reads the store, and says so.
            var (status, demoAnswer) = await server.SendAsync(HttpMethod.Get, "/api/v1/tenants/prom-acme/monitoring?metric_type=cpu&hours=1");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("store", demoAnswer["source"]!.GetValue<string>());
            Assert.Equal(12.25, demoAnswer["series"]![0]!["summary"]!["last"]!.GetValue<double>());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_production_rule_with_a_promql_expr_is_evaluated_by_prometheus_instead_of_its_condition()
    {
        var folder = Directory.CreateTempSubdirectory("keelson-prom-alert-").FullName;
        try
        {
            var (server, prometheus) = await StartAsync("R", folder);
            await using var serverLifetime = server;
            await using var prometheusLifetime = prometheus;
            Assert.Equal(HttpStatusCode.Created, await SendAsync(server, HttpMethod.Post, "/api/v1/tenants/", ServerCrashTests.TenantRequest("prom-alert"), demo: false));
            Assert.Equal(HttpStatusCode.Accepted, await SendAsync(server, HttpMethod.Post, "/api/v1/tenants/prom-alert/monitoring",
                new JsonObject { ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), ["metrics"] = new JsonObject { ["cpu_usage"] = 65.5 } }, demo: false));
            await prometheus.WaitForAsync("cpu_usage{tenant=\"prom-alert\",mode=\"production\"}", TimeSpan.FromSeconds(30));
            Assert.Equal(HttpStatusCode.OK, await SendAsync(server, HttpMethod.Put, "/api/v1/tenants/prom-alert/alert-settings", new JsonObject { ["evaluation_interval"] = "1s" }, demo: false));

            // Each rule's condition says the opposite of its expr, so the state shows which one was evaluated.
            JsonObject Rule(string name, string condition, string expr) => new() { ["alert_name"] = name, ["condition"] = condition, ["expr"] = expr, ["duration"] = "0s" };
            Assert.Equal(HttpStatusCode.Created, await SendAsync(server, HttpMethod.Post, "/api/v1/tenants/prom-alert/alerts",
                Rule("expr_holds", "cpu_usage > 1000", "max by (tenant) (cpu_usage{tenant=\"prom-alert\",mode=\"production\"}) > 50"), demo: false));
            Assert.Equal(HttpStatusCode.Created, await SendAsync(server, HttpMethod.Post, "/api/v1/tenants/prom-alert/alerts",
                Rule("expr_fails", "cpu_usage > 1", "max(cpu_usage{tenant=\"prom-alert\"}) > 1000"), demo: false));
            Assert.Equal(HttpStatusCode.Created, await SendAsync(server, HttpMethod.Post, "/api/v1/tenants/prom-alert/alerts",
                Rule("expr_invalid", "cpu_usage > 1", "rate(cpu_usage[5m]"), demo: false));

            JsonArray active = [];
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline && !active.Any(a => a!["alert_name"]!.GetValue<string>() == "expr_holds"))
            {
                await Task.Delay(250);
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tenants/prom-alert/alerts/active");
                request.Headers.Add("X-API-Key", Key);
                request.Headers.Add("X-Demo-Mode", "false");
                using var response = await server.Http.SendAsync(request);
                active = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["alerts"]!.AsArray();
            }

            var firing = Assert.Single(active)!;
            Assert.Equal(("expr_holds", "firing", 65.5), (firing["alert_name"]!.GetValue<string>(), firing["state"]!.GetValue<string>(), firing["value"]!.GetValue<double>()));
            Assert.Contains("Alert rule expr_invalid of prom-alert cannot be evaluated", server.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // keelson serve reading production's samples from a real prometheus that scrapes its /metrics/pushed.
    private static async Task<(ServerProcess Server, PrometheusServer Prometheus)> StartAsync(string name, string folder)
    {
        var prometheusPort = ExternalProcess.FreePort();
        var server = await ServerProcess.StartAsync(name, [
            "--Keelson:DataDirectory", Path.Combine(folder, "data"),
            "--Keelson:AdminKeys:0", Key,
            "--Keelson:Monitoring:Prometheus", $"http://127.0.0.1:{prometheusPort.ToString(CultureInfo.InvariantCulture)}",
            "--Keelson:Monitoring:PrometheusTenantLabel", "tenant",
            "--Keelson:Monitoring:PrometheusMinimumStep", "00:00:01"], folder, CancellationToken.None);
        try
        {
            return (server, await PrometheusServer.StartAsync(server.Url.Authority, "/metrics/pushed", prometheusPort));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private static async Task<HttpStatusCode> SendAsync(ServerProcess server, HttpMethod method, string path, JsonObject body, bool demo)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-API-Key", Key);
        request.Headers.Add("X-Demo-Mode", demo ? "true" : "false");
        using var response = await server.Http.SendAsync(request);
        return response.StatusCode;
    }
}
