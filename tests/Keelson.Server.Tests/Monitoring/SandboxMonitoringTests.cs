using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Server.Tests.Api;
using Microsoft.AspNetCore.Hosting;

namespace Keelson.Server.Tests.Monitoring;

/// <summary>The server with the embedded sandbox sampled every 300 ms, so a test sees the sampling loop at work.</summary>
public sealed class SandboxSampledApiFactory : ApiFactory
{
    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Keelson:Monitoring:SandboxSampleInterval", "00:00:00.300");
    }
}

/// <summary>Demo queries and the monitoring stream read a deployed tenant's numbers from the embedded sandbox, with no agent pushing.</summary>
public sealed class SandboxMonitoringTests(SandboxSampledApiFactory factory) : IClassFixture<SandboxSampledApiFactory>
{
    [Fact]
    public async Task A_deployed_tenant_answers_from_the_sandbox_with_the_cpu_its_pods_report_to_metrics_server()
    {
        await DeployAsync(factory, "sbx-query");
        using var client = factory.CreateClient();

        // Samples from before the last pods turned ready would read their startup CPU: ask only for later ones.
        var ready = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        await Task.Delay(700);
        var answer = (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, string.Create(CultureInfo.InvariantCulture, $"/api/v1/tenants/sbx-query/monitoring?metric_type=cpu,pods&start={ready}"), null, "true", null)).Body;
        Assert.Equal("sandbox", answer["source"]!.GetValue<string>());
        var series = answer["series"]!.AsArray().ToDictionary(s => s!["metric_name"]!.GetValue<string>(), s => s!);
        Assert.Equal(["cpu_usage_cores", "cpu_usage_percent", "pods_running"], series.Keys.Order(StringComparer.Ordinal));
        Assert.All(series.Values, s => Assert.Equal("sandbox", s["source"]!.GetValue<string>()));

        // The same pods, as kubectl top reads them: the sandbox's metrics.k8s.io for the tenant's namespace.
        using var sandbox = new HttpClient { BaseAddress = SandboxUrl(factory) };
        var podMetrics = JsonNode.Parse(await sandbox.GetStringAsync(new Uri("apis/metrics.k8s.io/v1beta1/namespaces/sbx-query/pods", UriKind.Relative)))!["items"]!.AsArray();
        var cores = podMetrics.SelectMany(p => p!["containers"]!.AsArray()).Sum(c => (double)new ResourceQuantity(c!["usage"]!["cpu"]!.GetValue<string>()).ToDecimal());
        Assert.True(podMetrics.Count > 0);
        Assert.Equal(podMetrics.Count, series["pods_running"]["summary"]!["last"]!.GetValue<double>());
        Assert.Equal(cores, series["cpu_usage_cores"]["summary"]!["last"]!.GetValue<double>(), 3);
        Assert.InRange(series["cpu_usage_percent"]["summary"]!["last"]!.GetValue<double>(), 1, 100);
    }

    [Fact]
    public async Task Pushed_series_join_the_sandbox_series_and_each_names_its_source()
    {
        await DeployAsync(factory, "sbx-both");
        await MonitoringSocketTests.PushAsync(factory, "sbx-both", """{"metrics": {"cpu_usage": 65.5}}""", key: null);
        using var client = factory.CreateClient();

        // The sampler reads the sandbox every 300 ms: on a loaded machine its first sample of the tenant may come a little after the deployment ends.
        var answer = (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, "/api/v1/tenants/sbx-both/monitoring?metric_type=cpu", null, "true", null)).Body;
        for (var waited = 0; answer["source"]!.GetValue<string>() != "store+sandbox" && waited < 100; waited++)
        {
            await Task.Delay(200);
            answer = (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, "/api/v1/tenants/sbx-both/monitoring?metric_type=cpu", null, "true", null)).Body;
        }

        Assert.Equal("store+sandbox", answer["source"]!.GetValue<string>());
        var sources = answer["series"]!.AsArray().ToDictionary(s => s!["metric_name"]!.GetValue<string>(), s => s!["source"]!.GetValue<string>());
        Assert.Equal("store", sources["cpu_usage"]);
        Assert.Equal("sandbox", sources["cpu_usage_cores"]);

        // A tenant with nothing deployed and nothing pushed answers empty, naming the sources it asked.
        await MonitoringSocketTests.CreateTenantAsync(factory, "sbx-none", key: null);
        var empty = (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, "/api/v1/tenants/sbx-none/monitoring", null, "true", null)).Body;
        Assert.Equal(("store+sandbox", 0), (empty["source"]!.GetValue<string>(), empty["series"]!.AsArray().Count));
    }

    [Fact]
    public async Task Subscribers_receive_sandbox_samples_and_queries_see_their_history()
    {
        await DeployAsync(factory, "sbx-live");
        using var socket = await factory.Server.CreateWebSocketClient().ConnectAsync(new Uri(factory.Server.BaseAddress, "ws/monitoring/sbx-live"), CancellationToken.None);
        var first = await MonitoringSocketTests.ReceiveAsync(socket);
        var second = await MonitoringSocketTests.ReceiveAsync(socket);

        Assert.Equal("metrics", first!["type"]!.GetValue<string>());
        Assert.True(first["metrics"]!["cpu_usage_cores"]!.GetValue<double>() > 0);
        Assert.True(first["metrics"]!["memory_usage_bytes"]!.GetValue<double>() > 0);
        var (t1, t2) = (Time(first), Time(second!));
        Assert.True(t2 > t1, $"{t2:o} <= {t1:o}");

        using var client = factory.CreateClient();
        var answer = (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, "/api/v1/tenants/sbx-live/monitoring?metric=memory_usage_bytes&hours=1", null, "true", null)).Body;
        var points = Assert.Single(answer["series"]!.AsArray())!["points"]!.AsArray().Select(p => DateTimeOffset.Parse(p!["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture)).ToList();
        Assert.True(points.Count >= 2, $"{points.Count} points");
        Assert.Contains(points, p => Math.Abs((p - t1).TotalMilliseconds) < 1);
    }

    [Fact]
    public async Task Per_component_series_are_the_tenant_s_workloads_and_add_up_to_the_tenant_s_figures()
    {
        await DeployAsync(factory, "sbx-parts");
        using var client = factory.CreateClient();
        await Task.Delay(700);

        var parts = (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, "/api/v1/tenants/sbx-parts/monitoring/components?metric=cpu_usage_cores,pods_running&hours=1", null, "true", null)).Body;
        Assert.Equal("sandbox", parts["source"]!.GetValue<string>());
        var components = parts["components"]!.AsArray().ToDictionary(
            c => c!["component"]!.GetValue<string>(),
            c => c!["series"]!.AsArray().ToDictionary(s => s!["metric_name"]!.GetValue<string>(), s => s!["points"]!.AsArray()));

        // The components are the tenant's workloads with ready pods, as the sandbox's own API lists them.
        using var sandbox = new HttpClient { BaseAddress = SandboxUrl(factory) };
        var ready = new List<string>();
        foreach (var kind in new[] { "deployments", "statefulsets" })
        {
            var items = JsonNode.Parse(await sandbox.GetStringAsync(new Uri($"apis/apps/v1/namespaces/sbx-parts/{kind}", UriKind.Relative)))!["items"]!.AsArray();
            ready.AddRange(items.Where(i => (i!["status"]?["readyReplicas"]?.GetValue<int>() ?? 0) > 0).Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        }

        Assert.True(ready.Count >= 2, $"{ready.Count} ready workloads");
        Assert.Equal(ready.Order(StringComparer.Ordinal), components.Keys);
        Assert.All(components.Values, c => Assert.Equal(["cpu_usage_cores", "pods_running"], c.Keys.Order(StringComparer.Ordinal)));

        // At every sampling instant the components' CPU and pods add up to the tenant's.
        var tenant = (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, "/api/v1/tenants/sbx-parts/monitoring?metric=cpu_usage_cores,pods_running&hours=1", null, "true", null)).Body["series"]!.AsArray()
            .ToDictionary(s => s!["metric_name"]!.GetValue<string>(), s => s!["points"]!.AsArray().ToDictionary(p => p!["timestamp"]!.GetValue<string>(), p => p!["value"]!.GetValue<double>()));
        foreach (var metric in new[] { "cpu_usage_cores", "pods_running" })
        {
            var sums = components.Values.SelectMany(c => c[metric]).GroupBy(p => p!["timestamp"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Sum(p => p!["value"]!.GetValue<double>()));
            var shared = sums.Keys.Intersect(tenant[metric].Keys).ToList();
            Assert.NotEmpty(shared);
            Assert.All(shared, at => Assert.Equal(tenant[metric][at], sums[at], 6));
        }

        // Bad parameters are the same 400s as the tenant query's; an unknown tenant is 404.
        var (status, problem, _) = await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, "/api/v1/tenants/sbx-parts/monitoring/components?step=soon", null, "true", null);
        Assert.Equal((HttpStatusCode.BadRequest, "step"), (status, problem["parameter"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NotFound, (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, "/api/v1/tenants/sbx-nobody/monitoring/components", null, "true", null)).Status);
    }

    private static DateTimeOffset Time(JsonObject message) => DateTimeOffset.Parse(message["timestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture);

    /// <summary>The embedded sandbox's facade, as its kubeconfig in the data directory names it.</summary>
    internal static Uri SandboxUrl(ApiFactory factory)
    {
        var kubeconfig = File.ReadAllText(Path.Combine(factory.DataDirectory, "sandbox", "aws-gpu.kubeconfig"));
        var server = kubeconfig.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("server:", StringComparison.Ordinal))["server:".Length..].Trim();
        return new Uri(server.EndsWith('/') ? server : server + "/");
    }

    /// <summary>Creates a demo tenant and deploys it to the embedded sandbox, waiting until the deployment succeeded.</summary>
    internal static async Task DeployAsync(ApiFactory factory, string tenant)
    {
        await MonitoringSocketTests.CreateTenantAsync(factory, tenant, key: null);
        using var client = factory.CreateClient();
        var (status, accepted, _) = await DeploymentEndpointsTests.SendWith(client, HttpMethod.Post, $"/api/v1/tenants/{tenant}/deploy", null, "true", null);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var done = await DeploymentClient.WaitFinishedAsync(client, accepted["deployment_id"]!.GetValue<string>());
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
    }
}
