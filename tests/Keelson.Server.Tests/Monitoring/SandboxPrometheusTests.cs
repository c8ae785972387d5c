using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keelson.Rendering.Output;
using Keelson.Server.Tests.Api;
using Keelson.Testing;

namespace Keelson.Server.Tests.Monitoring;

/// <summary>
/// A real <c>prometheus</c> scraping the embedded sandbox's facade (<c>/metrics/cluster</c>) while a demo tenant runs
/// there: PromQL over the cAdvisor series agrees with Keelson's own monitoring query for the same window, and the
/// PrometheusRules Keelson renders for the tenant evaluate without error against what the facade exports.
/// </summary>
public sealed partial class SandboxPrometheusTests(SandboxSampledApiFactory factory) : IClassFixture<SandboxSampledApiFactory>
{
    // The same window on both sides, in wall seconds; at the fixture's speed 60 that is ten sandbox minutes.
    private const int WindowSeconds = 10;

    [Fact]
    public async Task Promql_over_the_facade_agrees_with_keelsons_query_for_a_sandbox_tenant_and_its_components()
    {
        const string Tenant = "prom-sbx";
        await SandboxMonitoringTests.DeployAsync(factory, Tenant);
        await using var prometheus = await PrometheusServer.StartAsync(SandboxMonitoringTests.SandboxUrl(factory).Authority, "/metrics/cluster");
        await prometheus.WaitForAsync($"container_cpu_usage_seconds_total{{namespace=\"{Tenant}\"}}", TimeSpan.FromSeconds(30));

        // Both sides cover [start, end]: Keelson's samples taken in it, Prometheus's range ending at end.
        var start = DateTimeOffset.UtcNow;
        await Task.Delay(TimeSpan.FromSeconds(WindowSeconds));
        var end = DateTimeOffset.UtcNow;
        var window = string.Create(CultureInfo.InvariantCulture, $"start={start.ToUnixTimeMilliseconds() / 1000.0}&end={end.ToUnixTimeMilliseconds() / 1000.0}");
        using var client = factory.CreateClient();
        var tenant = Summaries((await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, $"/api/v1/tenants/{Tenant}/monitoring?metric=cpu_usage_cores,memory_usage_bytes&{window}", null, "true", null)).Body);
        var components = (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, $"/api/v1/tenants/{Tenant}/monitoring/components?metric=cpu_usage_cores,memory_usage_bytes&{window}", null, "true", null)).Body["components"]!.AsArray()
            .ToDictionary(c => c!["component"]!.GetValue<string>(), c => Summaries(c!));

        // CPU as cores per sandbox second (the clock runs 60x), memory as the working set averaged over the window.
        var range = string.Create(CultureInfo.InvariantCulture, $"[{WindowSeconds}s]");
        string Cpu(string by) => $"sum{by} (rate(container_cpu_usage_seconds_total{{namespace=\"{Tenant}\",container!=\"\"}}{range})) / scalar(rate(keelson_sandbox_clock_seconds_total{range}))";
        string Memory(string by) => $"sum{by} (avg_over_time(container_memory_working_set_bytes{{namespace=\"{Tenant}\",container!=\"\"}}{range}))";
        var cpu = await QueryAsync(prometheus, Cpu(""), end);
        var memory = await QueryAsync(prometheus, Memory(""), end);
        var cpuByContainer = await QueryAsync(prometheus, Cpu(" by (container)"), end, "container");
        var memoryByContainer = await QueryAsync(prometheus, Memory(" by (container)"), end, "container");

        // The tolerance: both sides read the same usage model, which holds a demo tenant's load steady once its pods are
        // ready, so they differ only by Prometheus's extrapolation of the counters to the window's edges (the same for
        // the CPU counters and the clock, scraped together, so it cancels in the ratio) and by the few samples each side
        // takes at the edges; 2 % covers that, while a mismatch in units (millicores, per wall second at speed 60,
        // a missing pod) is off by far more.
        const double Tolerance = 0.02;
        AssertClose(tenant["cpu_usage_cores"], cpu[""], Tolerance, "tenant CPU");
        AssertClose(tenant["memory_usage_bytes"], memory[""], Tolerance, "tenant memory");

        // Per component: a rendered stack names each container after its component, which is how Keelson's production
        // query groups cAdvisor's series too, so Prometheus's per-container sums are the components' figures.
        Assert.True(components.Count >= 2, $"{components.Count} components");
        Assert.Equal(components.Keys.Order(StringComparer.Ordinal), cpuByContainer.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(components.Keys.Order(StringComparer.Ordinal), memoryByContainer.Keys.Order(StringComparer.Ordinal));
        foreach (var (component, summaries) in components)
        {
            AssertClose(summaries["cpu_usage_cores"], cpuByContainer[component], Tolerance, $"{component} CPU");
            AssertClose(summaries["memory_usage_bytes"], memoryByContainer[component], Tolerance, $"{component} memory");
        }
    }

    [Fact]
    public async Task The_rendered_prometheus_rules_evaluate_against_the_facade_and_read_series_it_exports()
    {
        const string Tenant = "prom-rules";
        await SandboxMonitoringTests.DeployAsync(factory, Tenant);
        using var client = factory.CreateClient();

        // The rule groups of every PrometheusRule in the tenant's manifest with monitoring, as a Prometheus rule file.
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/tenants/{Tenant}/manifest?format=json&include_monitoring=true");
        request.Headers.Add("X-Demo-Mode", "true");
        using var response = await client.SendAsync(request);
        var manifest = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, manifest.ToJsonString());
        var groups = new JsonArray([.. manifest["items"]!.AsArray().Where(o => o!["kind"]!.GetValue<string>() == "PrometheusRule").SelectMany(o => o!["spec"]!["groups"]!.AsArray()).Select(g => g!.DeepClone())]);
        var expressions = groups.SelectMany(g => g!["rules"]!.AsArray()).ToDictionary(r => r!["alert"]?.GetValue<string>() ?? r!["record"]!.GetValue<string>(), r => r!["expr"]!.GetValue<string>());
        Assert.True(expressions.Count >= 5, string.Join(", ", expressions.Keys));
        var folder = Directory.CreateTempSubdirectory("keelson-sandbox-rules-").FullName;
        try
        {
            var rulesFile = Path.Combine(folder, "rules.yml");
            await File.WriteAllTextAsync(rulesFile, ManifestYaml.Document(new JsonObject { ["groups"] = groups }));
            await using var prometheus = await PrometheusServer.StartAsync(SandboxMonitoringTests.SandboxUrl(factory).Authority, "/metrics/cluster", rulesFile: rulesFile);
            await prometheus.WaitForAsync($"kube_pod_status_ready{{namespace=\"{Tenant}\"}}", TimeSpan.FromSeconds(30));

            // The rate-based rules need two scrapes of a counter before they have anything to say.
            await prometheus.WaitForAsync("rate(keelson_sandbox_clock_seconds_total[1m])", TimeSpan.FromSeconds(30));

            // Prometheus's own view: every rule loaded, evaluated at least once, and healthy (a query error would say so).
            var rules = await WaitForEvaluatedRulesAsync(prometheus, expressions.Count);
            Assert.Equal(expressions.Keys.Order(StringComparer.Ordinal), rules.Select(r => r["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
            Assert.All(rules, r => Assert.True(r["health"]!.GetValue<string>() == "ok", r.ToJsonString()));

            // A stack without persistent volumes has no claims for the kubelet to report on, so its volume rule rightly
            // watches nothing (the facade's volume stats are checked with a StatefulSet's claim in PrometheusScrapeTests).
            var hasClaims = manifest["items"]!.AsArray().Any(o => o!["kind"]!.GetValue<string>() == "PersistentVolumeClaim" || o["spec"]?["volumeClaimTemplates"] is JsonArray { Count: > 0 });

            // Every series a rule reads is in the scrape for the tenant's namespace: a name the facade does not export
            // would leave its rule silently empty, healthy but never firing.
            foreach (var (rule, expr) in expressions)
            {
                var watches = hasClaims || !expr.Contains("kubelet_volume_stats_", StringComparison.Ordinal);
                foreach (var metric in SeriesNames().Matches(expr).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal))
                {
                    var found = await QueryAsync(prometheus, $"count({metric}{{namespace=\"{Tenant}\"}})", DateTimeOffset.UtcNow);
                    Assert.True(watches == found.GetValueOrDefault("") > 0, $"{rule} reads {metric}: {found.GetValueOrDefault("")} series for {Tenant}, claims in the stack: {hasClaims}");
                }

                if (!watches)
                {
                    continue;
                }

                // A rule whose threshold is a number: without it, one series per thing the rule watches (per pod, per
                // service, per claim), as many as the first series it reads has values of the rule's grouping labels.
                if (Threshold().Match(expr) is { Success: true } threshold)
                {
                    var measured = await QueryAsync(prometheus, $"count({threshold.Groups[1].Value})", DateTimeOffset.UtcNow);
                    var first = SeriesNames().Match(expr).Groups[1].Value;
                    var by = Grouping().Match(expr) is { Success: true } g ? string.Join(',', g.Groups[1].Value.Split(',').Select(l => l.Trim()).Where(l => l != "le")) : null;
                    var watched = await QueryAsync(prometheus, by is null ? $"count({first}{{namespace=\"{Tenant}\"}})" : $"count(count by ({by}) ({first}{{namespace=\"{Tenant}\"}}))", DateTimeOffset.UtcNow);
                    Assert.True(watched.GetValueOrDefault("") > 0, $"{rule}: nothing watched");
                    Assert.True(measured.GetValueOrDefault("") == watched[""], $"{rule}: {measured.GetValueOrDefault("")} series without the threshold, {watched[""]} watched");
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // Metric names in an expression: an identifier followed by a label selector.
    [GeneratedRegex(@"([a-zA-Z_:][a-zA-Z0-9_:]*)\{")]
    private static partial Regex SeriesNames();

    // An expression ending in a comparison with a number, and what it compares.
    [GeneratedRegex(@"^(.*) >=? [0-9.]+$")]
    private static partial Regex Threshold();

    // The grouping of an expression's first aggregation.
    [GeneratedRegex(@" by \(([^)]*)\)")]
    private static partial Regex Grouping();

    private static async Task<List<JsonNode>> WaitForEvaluatedRulesAsync(PrometheusServer prometheus, int count)
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var rules = JsonNode.Parse(await http.GetStringAsync(new Uri(prometheus.Address, "api/v1/rules")))!["data"]!["groups"]!.AsArray()
                .SelectMany(g => g!["rules"]!.AsArray()).Select(r => r!).ToList();
            // An evaluated rule has a real lastEvaluation; Go's zero time is year 1.
            if (rules.Count == count && rules.All(r => !r["lastEvaluation"]!.GetValue<string>().StartsWith("0001", StringComparison.Ordinal)))
            {
                return rules;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The rules were not all evaluated within 30 s: {string.Join(", ", rules.Select(r => r.ToJsonString()))}");
            await Task.Delay(250);
        }
    }

    private static void AssertClose(double keelson, double prometheus, double tolerance, string what)
    {
        Assert.True(keelson > 0, $"{what}: Keelson reads {keelson}");
        Assert.True(Math.Abs(prometheus - keelson) <= tolerance * keelson, $"{what}: Keelson {keelson}, Prometheus {prometheus}");
    }

    // Each series' average over the window, by metric name.
    private static Dictionary<string, double> Summaries(JsonNode answer) => answer["series"]!.AsArray()
        .ToDictionary(s => s!["metric_name"]!.GetValue<string>(), s => s!["summary"]!["avg"]!.GetValue<double>());

    // An instant query at a given time, its results keyed by one label's value ("" without one).
    private static async Task<Dictionary<string, double>> QueryAsync(PrometheusServer prometheus, string promql, DateTimeOffset at, string? label = null)
    {
        using var http = new HttpClient();
        var time = (at.ToUnixTimeMilliseconds() / 1000.0).ToString(CultureInfo.InvariantCulture);
        var body = JsonNode.Parse(await http.GetStringAsync(new Uri(prometheus.Address, $"api/v1/query?time={time}&query={Uri.EscapeDataString(promql)}")))!;
        Assert.True(body["status"]!.GetValue<string>() == "success", body.ToJsonString());
        return body["data"]!["result"]!.AsArray().ToDictionary(
            r => label is null ? "" : r!["metric"]![label]!.GetValue<string>(),
            r => double.Parse(r!["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture));
    }
}
