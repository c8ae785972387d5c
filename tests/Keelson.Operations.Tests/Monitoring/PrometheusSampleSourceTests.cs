using System.Net;
using System.Text;
using Keelson.Operations.Monitoring;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Monitoring;

/// <summary>The Prometheus source against a real <c>prometheus</c> process scraping a small exposition endpoint.</summary>
public sealed class PrometheusSampleSourceTests
{
    private const string Exposition = """
        # TYPE cpu_usage gauge
        cpu_usage{namespace="acme",pod="a"} 40
        cpu_usage{namespace="acme",pod="b"} 2.5
        cpu_usage{namespace="other",pod="c"} 99
        # TYPE memory_usage_bytes gauge
        memory_usage_bytes{namespace="acme",pod="a"} 1048576
        # TYPE gpu_utilization gauge
        gpu_utilization{namespace="acme",pod="a"} 0.75
        # TYPE requests_per_second gauge
        requests_per_second{namespace="acme",mode="demo"} 100
        requests_per_second{namespace="acme",mode="production"} 5
        requests_per_second{namespace="acme",pod="a"} 2
        # TYPE container_memory_working_set_bytes gauge
        container_memory_working_set_bytes{namespace="shop",pod="api-1",container="api"} 100
        container_memory_working_set_bytes{namespace="shop",pod="api-2",container="api"} 50
        container_memory_working_set_bytes{namespace="shop",pod="api-1",container="POD"} 5
        container_memory_working_set_bytes{namespace="shop",pod="api-1"} 155
        container_memory_working_set_bytes{namespace="shop",pod="db-0",container="db"} 70
        container_memory_working_set_bytes{namespace="mall",pod="api-9",container="api"} 999

        """;

    [Fact]
    public async Task Reads_a_tenants_series_from_a_real_prometheus_summed_per_name()
    {
        await using var scraped = await ScrapedExposition.StartAsync("memory_usage_bytes{namespace=\"acme\"}");
        var prometheus = scraped.Prometheus;
        using var http = new HttpClient();
        var source = new PrometheusSampleSource(http, new PrometheusSourceOptions(prometheus.Address, MinimumStep: TimeSpan.FromSeconds(1)));
        Assert.Equal("prometheus", ((IMetricSampleSource)source).Name);

        var now = DateTimeOffset.UtcNow;
        var cpu = await source.ReadAsync(new MetricSelector("acme", now.AddMinutes(-1), now, ["cpu"]), CancellationToken.None);
        Assert.NotEmpty(cpu);
        // Only acme's two pods, summed: 40 + 2.5; the other tenant's 99 never leaks in.
        Assert.All(cpu, s => Assert.Equal(("acme", "cpu", "cpu_usage", 42.5), (s.TenantId, s.MetricType, s.MetricName, s.Value)));
        Assert.Equal(cpu.OrderBy(s => s.Timestamp).Select(s => s.Timestamp), cpu.Select(s => s.Timestamp));

        var byName = await source.ReadAsync(new MetricSelector("acme", now.AddMinutes(-1), now, ["memory_usage_bytes", "gpu"]), CancellationToken.None);
        Assert.Equal(["gpu_utilization", "memory_usage_bytes"], byName.Select(s => s.MetricName).Distinct());
        Assert.Equal(1048576, byName[^1].Value);

        var all = await source.ReadAsync(new MetricSelector("acme", now.AddMinutes(-1), now, []), CancellationToken.None);
        Assert.Equal(["cpu_usage", "gpu_utilization", "memory_usage_bytes", "requests_per_second"], all.Select(s => s.MetricName).Distinct());
        Assert.Equal(107, all.Last(s => s.MetricName == "requests_per_second").Value); // no mode asked: every series summed

        // Scraped pushes carry mode; production reads its own and the unlabelled series, never demo's.
        var production = new PrometheusSampleSource(http, new PrometheusSourceOptions(prometheus.Address, MinimumStep: TimeSpan.FromSeconds(1), Mode: "production"));
        var requests = await production.ReadAsync(new MetricSelector("acme", now.AddMinutes(-1), now, ["requests_per_second"]), CancellationToken.None);
        Assert.NotEmpty(requests);
        Assert.All(requests, s => Assert.Equal(7, s.Value));
        Assert.Equal(42.5, (await production.ReadAsync(new MetricSelector("acme", now.AddMinutes(-1), now, ["cpu"]), CancellationToken.None))[^1].Value);

        var none = await source.ReadAsync(new MetricSelector("nobody", now.AddMinutes(-1), now, []), CancellationToken.None);
        Assert.Empty(none);
    }

    [Fact]
    public async Task Reads_a_tenants_series_per_component_as_prometheus_groups_them_by_container()
    {
        await using var scraped = await ScrapedExposition.StartAsync("container_memory_working_set_bytes{namespace=\"shop\"}");
        var prometheus = scraped.Prometheus;
        using var http = new HttpClient();
        var source = new PrometheusSampleSource(http, new PrometheusSourceOptions(prometheus.Address, MinimumStep: TimeSpan.FromSeconds(1)));
        var now = DateTimeOffset.UtcNow;

        var components = await source.ReadComponentsAsync(new MetricSelector("shop", now.AddMinutes(-1), now, ["container_memory_working_set_bytes"]), CancellationToken.None);
        Assert.Equal(["api", "db"], components.Select(c => c.Component));
        Assert.All(components, c => Assert.NotEmpty(c.Samples));
        Assert.All(components.SelectMany(c => c.Samples), s => Assert.Equal(("shop", "container_memory_working_set_bytes"), (s.TenantId, s.MetricName)));

        // Prometheus's own grouping of the same series, without the pause container and the pod-level total, agrees.
        var grouped = await source.QueryAsync(
            "sum by (container) (container_memory_working_set_bytes{namespace=\"shop\",container!=\"\",container!=\"POD\"})", DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.Equal(
            grouped.Select(g => (g.Labels["container"], g.Value)).OrderBy(g => g.Item1, StringComparer.Ordinal),
            components.Select(c => (c.Component, c.Samples[^1].Value)));
        Assert.Equal([150.0, 70.0], components.Select(c => c.Samples[^1].Value));

        // Another label names the components when configured; series without it belong to none.
        var byPod = new PrometheusSampleSource(http, new PrometheusSourceOptions(prometheus.Address, MinimumStep: TimeSpan.FromSeconds(1), ComponentLabel: "pod"));
        var pods = await byPod.ReadComponentsAsync(new MetricSelector("shop", now.AddMinutes(-1), now, ["container_memory_working_set_bytes"]), CancellationToken.None);
        Assert.Equal([("api-1", 260.0), ("api-2", 50.0), ("db-0", 70.0)], pods.Select(p => (p.Component, p.Samples[^1].Value)));
    }

    [Fact]
    public async Task A_prometheus_error_names_the_server_and_the_query()
    {
        var port = ExternalProcess.FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        await using var prometheus = await PrometheusServer.StartAsync($"127.0.0.1:{port}");
        using var http = new HttpClient();
        var source = new PrometheusSampleSource(http, new PrometheusSourceOptions(prometheus.Address, TenantLabel: "bad-label"));
        var now = DateTimeOffset.UtcNow;
        var error = await Assert.ThrowsAsync<PrometheusQueryException>(() => source.ReadAsync(new MetricSelector("acme", now.AddMinutes(-1), now, []), CancellationToken.None));
        Assert.Contains(prometheus.Address.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains("bad-label", error.Message, StringComparison.Ordinal);
    }

    // The exposition above on a loopback listener, scraped by a real Prometheus that has seen the given series.
    private sealed class ScrapedExposition : IAsyncDisposable
    {
        private readonly ExpositionServer exposition = ExpositionServer.Start(Exposition);

        public PrometheusServer Prometheus { get; private set; } = default!;

        public static async Task<ScrapedExposition> StartAsync(string series)
        {
            var scraped = new ScrapedExposition();
            scraped.Prometheus = await PrometheusServer.StartAsync(scraped.exposition.Authority);
            await scraped.Prometheus.WaitForAsync(series, TimeSpan.FromSeconds(30));
            return scraped;
        }

        public async ValueTask DisposeAsync()
        {
            await Prometheus.DisposeAsync();
            await exposition.DisposeAsync();
        }
    }
}
