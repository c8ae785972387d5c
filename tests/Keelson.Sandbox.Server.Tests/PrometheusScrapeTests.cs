using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>The facade's <c>/metrics/cluster</c> read by the real Prometheus tools: promtool's linter and a scraping prometheus server.</summary>
public sealed class PrometheusScrapeTests
{
    private const string Prometheus = "/usr/bin/prometheus";
    private const string Promtool = "/usr/bin/promtool";

    [Fact]
    public async Task Promtool_accepts_the_exposition_with_the_kube_state_metrics_and_cadvisor_series()
    {
        await using var server = await ShopWithPodsAsync(speed: 0);
        var (status, body) = await server.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/shop/statefulsets", StatefulSetWithClaim);
        Assert.True(status == 201, body?.ToJsonString());
        server.Server.Advance(TimeSpan.FromSeconds(30));
        var text = await server.Http.GetStringAsync("/metrics/cluster");

        foreach (var series in new[]
        {
            "kube_pod_status_phase{namespace=\"shop\",pod=\"web-",
            "kube_deployment_status_replicas_available{namespace=\"shop\",deployment=\"web\"} 2",
            "kube_pod_container_resource_requests{namespace=\"shop\",pod=\"web-",
            "kube_node_status_allocatable{node=\"",
            "container_cpu_usage_seconds_total{namespace=\"shop\",pod=\"web-",
            "container_memory_working_set_bytes{namespace=\"shop\",pod=\"web-",
            "http_request_duration_seconds_bucket{namespace=\"shop\",pod=\"web-",
            "# TYPE container_cpu_usage_seconds_total counter",

            // The kubelet's volume stats, which the rendered VolumeFilling rule reads: the claim's 1Gi, nothing written.
            "kubelet_volume_stats_capacity_bytes{namespace=\"shop\",persistentvolumeclaim=\"data-db-0\"} 1073741824\n",
            "kubelet_volume_stats_available_bytes{namespace=\"shop\",persistentvolumeclaim=\"data-db-0\"} 1073741824\n",
            "kubelet_volume_stats_used_bytes{namespace=\"shop\",persistentvolumeclaim=\"data-db-0\"} 0\n",
        })
        {
            Assert.Contains(series, text, StringComparison.Ordinal);
        }

        var (exit, output) = await RunAsync(Promtool, text, "check", "metrics");
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task A_real_prometheus_scrapes_the_facade_and_promql_returns_a_pods_cpu_rate()
    {
        await using var server = await ShopWithPodsAsync(speed: 1);
        var directory = Directory.CreateTempSubdirectory("keelson-prometheus-").FullName;
        var port = FreePort();
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global: {"{"}scrape_interval: 1s, evaluation_interval: 1s{"}"}
            scrape_configs:
              - job_name: sandbox
                metrics_path: /metrics/cluster
                static_configs: [{"{"}targets: ['{server.Server.Url.Authority}']{"}"}]
            """);
        var info = new ProcessStartInfo(Prometheus) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(directory, "data"), $"--web.listen-address=127.0.0.1:{port}" })
        {
            info.ArgumentList.Add(arg);
        }

        using var prometheus = Process.Start(info)!;
        var log = prometheus.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
            // Per second of sandbox time: the clock follows wall time only as closely as a busy machine lets it.
            const string query = "sum by (pod) (rate(container_cpu_usage_seconds_total{namespace=\"shop\",container=\"web\"}[5s]))"
                + " / scalar(rate(keelson_sandbox_clock_seconds_total[5s]))";
            JsonArray? result = null;
            var waited = Stopwatch.StartNew();
            while (waited.Elapsed < TimeSpan.FromSeconds(40))
            {
                await Task.Delay(1000);
                try
                {
                    var body = JsonNode.Parse(await http.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(query)))!;
                    result = body["data"]!["result"]!.AsArray();
                    if (result.Count == 2 && waited.Elapsed > TimeSpan.FromSeconds(8))
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                    // Prometheus is still starting.
                }
            }

            Assert.True(result is { Count: 2 }, $"no rate after {waited.Elapsed}: {result?.ToJsonString()}");
            foreach (var series in result!)
            {
                Assert.StartsWith("web-", (string)series!["metric"]!["pod"]!, StringComparison.Ordinal);
                var cores = double.Parse((string)series["value"]![1]!, CultureInfo.InvariantCulture);

                // The pod requests 150 m (web 100 m, sidecar 50 m) and runs at the 30 % idle share: 45 m, two thirds on web.
                Assert.InRange(cores, 0.029, 0.031);
            }
        }
        finally
        {
            prometheus.Kill();
            await prometheus.WaitForExitAsync();
            _ = await log;
            Directory.Delete(directory, recursive: true);
        }
    }

    private const string StatefulSetWithClaim = """
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},
         "spec":{"replicas":1,"serviceName":"db","selector":{"matchLabels":{"app":"db"}},
          "template":{"metadata":{"labels":{"app":"db"}},
           "spec":{"containers":[{"name":"db","image":"postgres:16","resources":{"requests":{"cpu":"100m","memory":"64Mi"}},
             "volumeMounts":[{"name":"data","mountPath":"/var/lib/postgresql"}]}]}},
          "volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}]}}
        """;

    private static async Task<TestServer> ShopWithPodsAsync(double speed)
    {
        var server = await TestServer.StartAsync(speed);
        var (status, body) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces", Objects.Namespace);
        Assert.True(status == 201, body?.ToJsonString());
        (status, body) = await server.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/shop/deployments", Objects.Deployment("web"));
        Assert.True(status == 201, body?.ToJsonString());
        server.Server.Advance(TimeSpan.FromMinutes(2));
        return server;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<(int Exit, string Output)> RunAsync(string binary, string input, params string[] args)
    {
        var info = new ProcessStartInfo(binary) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
