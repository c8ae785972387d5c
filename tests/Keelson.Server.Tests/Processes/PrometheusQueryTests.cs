using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Operations.Alerts;
using Keelson.Rendering.Output;
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
            // The warning is logged after the cycle's states are saved, and the console logger writes in the background.
            var logged = DateTime.UtcNow.AddSeconds(10);
            while (!server.Output.Contains("Alert rule expr_invalid of prom-alert cannot be evaluated", StringComparison.Ordinal) && DateTime.UtcNow < logged)
            {
                await Task.Delay(100);
            }

            Assert.Contains("Alert rule expr_invalid of prom-alert cannot be evaluated", server.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task A_promql_rule_keeps_one_alert_per_result_series_as_prometheus_does()
    {
        const string Tenant = "prom-series";
        var folder = Directory.CreateTempSubdirectory("keelson-prom-series-").FullName;
        try
        {
            // One series per pushed metric, told apart by a resource label; both sides evaluate the same rule: Keelson
            // through the query API, and the real prometheus itself from the PrometheusRule Keelson renders for it.
            const string Hot = "label_replace({__name__=~\"cpu_usage|memory_usage|gpu_usage\",tenant=\"prom-series\",mode=\"production\"}, \"resource\", \"$1\", \"__name__\", \"(.*)_usage\") > 50";
            // Constant series whose value is the evaluation time: always pending for an hour, so a restart's effect on their timers shows.
            const string Clock = "label_replace(vector(time()), \"node\", \"a\", \"\", \"\") or label_replace(vector(time()), \"node\", \"b\", \"\", \"\")";
            var labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("team", "ops")]);
            var annotations = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("summary", "{{ $labels.resource }} at {{ $value }}")]);
            var rulesFile = Path.Combine(folder, "rules.yml");
            var rendered = AlertRuleRendering.Render(Tenant, Tenant, [new AlertRule(Tenant, "resource_hot", "cpu_usage > 1000", ConditionParser.Parse("cpu_usage > 1000"),
                TimeSpan.Zero, TimeSpan.Zero, "critical", labels, annotations, true, [], Hot)]);
            await File.WriteAllTextAsync(rulesFile, ManifestYaml.Document(new JsonObject { ["groups"] = JsonSerializer.SerializeToNode(rendered.Spec!.Groups) }));

            var prometheusPort = ExternalProcess.FreePort();
            var server = await StartServerAsync("S", folder, prometheusPort);
            await using var prometheus = await PrometheusServer.StartAsync(server.Url.Authority, "/metrics/pushed", prometheusPort, rulesFile);
            try
            {
                Assert.Equal(HttpStatusCode.Created, await SendAsync(server, HttpMethod.Post, "/api/v1/tenants/", ServerCrashTests.TenantRequest(Tenant), demo: false));
                Assert.Equal(HttpStatusCode.OK, await SendAsync(server, HttpMethod.Put, $"/api/v1/tenants/{Tenant}/alert-settings", new JsonObject { ["evaluation_interval"] = "1s" }, demo: false));
                await PushAsync(server, Tenant, ("cpu_usage", 90), ("memory_usage", 80), ("gpu_usage", 10));
                await prometheus.WaitForAsync($"gpu_usage{{tenant=\"{Tenant}\",mode=\"production\"}}", TimeSpan.FromSeconds(30));
                Assert.Equal(HttpStatusCode.Created, await SendAsync(server, HttpMethod.Post, $"/api/v1/tenants/{Tenant}/alerts", new JsonObject
                {
                    ["alert_name"] = "resource_hot", ["condition"] = "cpu_usage > 1000", ["expr"] = Hot, ["duration"] = "0s", ["severity"] = "critical",
                    ["labels"] = new JsonObject { ["team"] = "ops" }, ["annotations"] = new JsonObject { ["summary"] = "{{ $labels.resource }} at {{ $value }}" },
                }, demo: false));
                Assert.Equal(HttpStatusCode.Created, await SendAsync(server, HttpMethod.Post, $"/api/v1/tenants/{Tenant}/alerts", new JsonObject
                {
                    ["alert_name"] = "node_clock", ["condition"] = "cpu_usage > 1000", ["expr"] = Clock, ["duration"] = "1h",
                }, demo: false));

                // One firing alert per series over 50, each with the series' labels (no __name__) under the rule's, and its own value.
                var active = await WaitForActiveAsync(server, Tenant, a => Resources(a, "firing") == "cpu,memory");
                var cpu = active.Single(a => a["alert_name"]!.GetValue<string>() == "resource_hot" && a["labels"]!["resource"]!.GetValue<string>() == "cpu");
                Assert.Equal(90, cpu["value"]!.GetValue<double>());
                Assert.Equal("cpu at 90", cpu["annotations"]!["summary"]!.GetValue<string>());
                Assert.Equal(80, active.Single(a => a["labels"]!["resource"]?.GetValue<string>() == "memory")["value"]!.GetValue<double>());
                var keelsonLabels = LabelSets(active.Where(a => a["alert_name"]!.GetValue<string>() == "resource_hot").Select(a => a["labels"]!.AsObject()));
                Assert.DoesNotContain("__name__", keelsonLabels, StringComparison.Ordinal);
                Assert.Contains("team=ops", keelsonLabels, StringComparison.Ordinal);
                Assert.Contains($"tenant={Tenant}", keelsonLabels, StringComparison.Ordinal);

                // Prometheus's own ALERTS for the rendered rule carry exactly the same label sets.
                var prometheusAlerts = await WaitForPrometheusAlertsAsync(prometheus, "resource_hot", 2);
                Assert.Equal(keelsonLabels, prometheusAlerts);

                // The ALERTS series on /metrics: one per series, with its labels.
                var metrics = await server.Http.GetStringAsync("/metrics");
                Assert.Contains("ALERTS{alertname=\"resource_hot\",alertstate=\"firing\",tenant=\"prom-series\",severity=\"critical\",instance=", metrics, StringComparison.Ordinal);
                Assert.Equal(["cpu", "memory"], metrics.Split('\n').Where(l => l.StartsWith("ALERTS{alertname=\"resource_hot\"", StringComparison.Ordinal))
                    .Select(l => l[(l.IndexOf("resource=\"", StringComparison.Ordinal) + 10)..].Split('"')[0]));
                Assert.Equal(2, metrics.Split('\n').Count(l => l.StartsWith("ALERTS_FOR_STATE{alertname=\"node_clock\"", StringComparison.Ordinal)));

                // cpu falls and gpu rises: cpu resolves and gpu fires on their own, memory keeps firing.
                await PushAsync(server, Tenant, ("cpu_usage", 10), ("memory_usage", 80), ("gpu_usage", 95));
                active = await WaitForActiveAsync(server, Tenant, a => Resources(a, "firing") == "gpu,memory");
                Assert.Equal(LabelSets(active.Where(a => a["alert_name"]!.GetValue<string>() == "resource_hot").Select(a => a["labels"]!.AsObject())),
                    await WaitForPrometheusAlertsAsync(prometheus, "resource_hot", 2, "gpu"));
                var events = await GetAsync(server, $"/api/v1/tenants/{Tenant}/alerts/events?alert_name=resource_hot");
                var cpuEvents = events["events"]!.AsArray().Where(e => e!["labels"]!["resource"]!.GetValue<string>() == "cpu").Select(e => $"{e!["from"]}>{e["to"]}").ToList();
                // With for 0s an alert fires on its first evaluation, as in Prometheus, so pending is never recorded.
                Assert.Equal(["firing>inactive", "inactive>firing"], cpuEvents);
                Assert.Equal(["inactive>firing"], events["events"]!.AsArray().Where(e => e!["labels"]!["resource"]!.GetValue<string>() == "memory").Select(e => $"{e!["from"]}>{e["to"]}"));

                // Both clock series are pending; a restart on the same database keeps each one's active_at.
                var pending = active.Where(a => a["alert_name"]!.GetValue<string>() == "node_clock").ToDictionary(a => a["labels"]!["node"]!.GetValue<string>(), a => a["active_at"]!.GetValue<DateTimeOffset>());
                Assert.Equal(["a", "b"], pending.Keys.Order(StringComparer.Ordinal));
                await server.DisposeAsync();
                var restartedAt = DateTimeOffset.UtcNow;
                server = await StartServerAsync("S2", folder, prometheusPort);
                active = await WaitForActiveAsync(server, Tenant, a => a.Count(x => x["alert_name"]!.GetValue<string>() == "node_clock" && x["value"]!.GetValue<double>() > restartedAt.ToUnixTimeSeconds()) == 2);
                foreach (var clock in active.Where(a => a["alert_name"]!.GetValue<string>() == "node_clock"))
                {
                    Assert.Equal("pending", clock["state"]!.GetValue<string>());
                    Assert.Equal(pending[clock["labels"]!["node"]!.GetValue<string>()], clock["active_at"]!.GetValue<DateTimeOffset>());
                }
            }
            finally
            {
                await server.DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string Resources(IReadOnlyList<JsonNode> active, string state) => string.Join(',', active
        .Where(a => a["alert_name"]!.GetValue<string>() == "resource_hot" && a["state"]!.GetValue<string>() == state)
        .Select(a => a["labels"]!["resource"]!.GetValue<string>()).Order(StringComparer.Ordinal));

    // Each alert's labels as one sorted line, the lines sorted: comparable between Keelson's API and Prometheus's ALERTS.
    private static string LabelSets(IEnumerable<JsonObject> alerts) => string.Join('\n', alerts
        .Select(a => string.Join(',', a.Where(l => l.Key is not ("alertstate" or "__name__")).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value!.GetValue<string>()}")))
        .Order(StringComparer.Ordinal));

    private static async Task<string> WaitForPrometheusAlertsAsync(PrometheusServer prometheus, string alertName, int count, string? resource = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var result = await prometheus.WaitForAsync($"ALERTS{{alertname=\"{alertName}\",alertstate=\"firing\"}}", TimeSpan.FromSeconds(30));
            var alerts = result.EnumerateArray().Select(r => JsonNode.Parse(r.GetProperty("metric").GetRawText())!.AsObject()).ToList();
            if ((alerts.Count == count && (resource is null || alerts.Any(a => a["resource"]?.GetValue<string>() == resource))) || DateTime.UtcNow > deadline)
            {
                return LabelSets(alerts);
            }

            await Task.Delay(250);
        }
    }

    private static async Task<IReadOnlyList<JsonNode>> WaitForActiveAsync(ServerProcess server, string tenant, Func<IReadOnlyList<JsonNode>, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var active = (await GetAsync(server, $"/api/v1/tenants/{tenant}/alerts/active"))["alerts"]!.AsArray().Select(a => a!).ToList();
            if (done(active))
            {
                return active;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The active alerts did not reach the expected state within 30 s: {string.Join(", ", active.Select(a => a.ToJsonString()))}\n{server.Output}");
            await Task.Delay(250);
        }
    }

    private static async Task<JsonNode> GetAsync(ServerProcess server, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-API-Key", Key);
        request.Headers.Add("X-Demo-Mode", "false");
        using var response = await server.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!;
    }

    private static async Task PushAsync(ServerProcess server, string tenant, params (string Metric, double Value)[] metrics)
    {
        var values = new JsonObject();
        foreach (var (metric, value) in metrics)
        {
            values[metric] = value;
        }

        Assert.Equal(HttpStatusCode.Accepted, await SendAsync(server, HttpMethod.Post, $"/api/v1/tenants/{tenant}/monitoring",
            new JsonObject { ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture), ["metrics"] = values }, demo: false));
    }

    // keelson serve reading production's samples from a real prometheus that scrapes its /metrics/pushed.
    private static async Task<(ServerProcess Server, PrometheusServer Prometheus)> StartAsync(string name, string folder)
    {
        var prometheusPort = ExternalProcess.FreePort();
        var server = await StartServerAsync(name, folder, prometheusPort);
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

    private static Task<ServerProcess> StartServerAsync(string name, string folder, int prometheusPort) =>
        ServerProcess.StartAsync(name, [
            "--Keelson:DataDirectory", Path.Combine(folder, "data"),
            "--Keelson:AdminKeys:0", Key,
            "--Keelson:Monitoring:Prometheus", $"http://127.0.0.1:{prometheusPort.ToString(CultureInfo.InvariantCulture)}",
            "--Keelson:Monitoring:PrometheusTenantLabel", "tenant",
            "--Keelson:Monitoring:PrometheusMinimumStep", "00:00:01"], folder, CancellationToken.None);

    private static async Task<HttpStatusCode> SendAsync(ServerProcess server, HttpMethod method, string path, JsonObject body, bool demo)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-API-Key", Key);
        request.Headers.Add("X-Demo-Mode", demo ? "true" : "false");
        using var response = await server.Http.SendAsync(request);
        return response.StatusCode;
    }
}
