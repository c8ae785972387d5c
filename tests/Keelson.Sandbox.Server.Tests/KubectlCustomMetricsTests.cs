using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// HPAs of AI services and workers on metrics other than CPU, through the real kubectl: <c>get hpa</c> shows each
/// metric's current value against its target, and the custom and external metrics APIs (read with
/// <c>kubectl get --raw</c>) serve the values those HPAs report.
/// </summary>
public sealed class KubectlCustomMetricsTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>, IAsyncLifetime
{
    private const string Ns = "ai";

    private Kubectl Kubectl => cluster.Kubectl;

    public async Task InitializeAsync()
    {
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, "ai.yaml");
        await File.WriteAllTextAsync(path, """
            apiVersion: v1
            kind: Namespace
            metadata: {name: ai}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: chat, namespace: ai}
            spec:
              replicas: 2
              selector: {matchLabels: {app: chat}}
              template:
                metadata: {labels: {app: chat}}
                spec: {containers: [{name: llm, image: "vllm/vllm-openai:v0.6.3", resources: {requests: {cpu: 500m, memory: 1Gi}}}]}
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: chat, namespace: ai}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: chat}
              minReplicas: 1
              maxReplicas: 10
              metrics:
              - type: Pods
                pods: {metric: {name: active_sessions}, target: {type: AverageValue, averageValue: "10"}}
              - type: Pods
                pods: {metric: {name: http_requests_per_second}, target: {type: AverageValue, averageValue: "20"}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: worker, namespace: ai}
            spec:
              replicas: 3
              selector: {matchLabels: {app: worker}}
              template:
                metadata: {labels: {app: worker}}
                spec: {containers: [{name: work, image: "busybox:1.36", resources: {requests: {cpu: 200m}}}]}
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: worker, namespace: ai}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: worker}
              minReplicas: 1
              maxReplicas: 10
              metrics:
              - type: External
                external:
                  metric: {name: keelson_queue_length, selector: {matchLabels: {queue: jobs}}}
                  target: {type: AverageValue, averageValue: "5"}
            """);
        await Kubectl.OkAsync("apply", "-f", path);
        cluster.Server.Server.Advance(TimeSpan.FromMinutes(3));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Get_hpa_shows_current_values_of_non_cpu_metrics_instead_of_unknown()
    {
        var rows = (await Kubectl.OkAsync("get", "hpa", "-n", Ns, "--no-headers")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, rows.Length);
        Assert.All(rows, r => Assert.DoesNotContain("<unknown>", r, StringComparison.Ordinal));

        // With no load model the workloads run at the planned 70 % of their request: one pod-equivalent each.
        Assert.Matches(@"^chat\s+Deployment/chat\s+10/10, 17500m/20\s+1\s+10\s+2\s", rows.Single(r => r.StartsWith("chat", StringComparison.Ordinal)));
        Assert.Matches(@"^worker\s+Deployment/worker\s+5/5 \(avg\)\s+1\s+10\s+3\s", rows.Single(r => r.StartsWith("worker", StringComparison.Ordinal)));
        Assert.Contains("ValidMetricFound", await Kubectl.OkAsync("describe", "hpa", "chat", "-n", Ns), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_custom_metrics_api_serves_each_pods_value_the_hpa_averages()
    {
        var list = JsonNode.Parse(await Kubectl.OkAsync("get", "--raw", $"/apis/custom.metrics.k8s.io/v1beta2/namespaces/{Ns}/pods/*/active_sessions"))!;
        Assert.Equal("MetricValueList", (string)list["kind"]!);
        var items = list["items"]!.AsArray();
        var pods = (await Kubectl.OkAsync("get", "pods", "-n", Ns, "-l", "app=chat", "-o", "name")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(pods.Select(p => p["pod/".Length..]).Order(), items.Select(i => (string)i!["describedObject"]!["name"]!).Order());
        Assert.All(items, i => Assert.Equal("active_sessions", (string)i!["metric"]!["name"]!));

        var hpa = await Kubectl.OkAsync("get", "hpa", "chat", "-n", Ns, "-o", "jsonpath={.status.currentMetrics[0].pods.current.averageValue}|{.status.currentMetrics[1].pods.current.averageValue}");
        Assert.Equal(Value(hpa.Split('|')[0]), items.Average(i => Value((string)i!["value"]!)));

        var rps = JsonNode.Parse(await Kubectl.OkAsync("get", "--raw", $"/apis/custom.metrics.k8s.io/v1beta2/namespaces/{Ns}/pods/*/http_requests_per_second?labelSelector=app%3Dchat"))!["items"]!.AsArray();
        Assert.Equal(2, rps.Count);
        Assert.Equal(Value(hpa.Split('|')[1]), rps.Average(i => Value((string)i!["value"]!)));

        var name = pods[0]["pod/".Length..];
        var one = JsonNode.Parse(await Kubectl.OkAsync("get", "--raw", $"/apis/custom.metrics.k8s.io/v1beta2/namespaces/{Ns}/pods/{name}/active_sessions"))!["items"]!.AsArray();
        Assert.Equal(name, (string)Assert.Single(one)!["describedObject"]!["name"]!);
    }

    [Fact]
    public async Task The_external_metrics_api_serves_the_total_behind_the_hpas_average()
    {
        var list = JsonNode.Parse(await Kubectl.OkAsync("get", "--raw", $"/apis/external.metrics.k8s.io/v1beta1/namespaces/{Ns}/keelson_queue_length?labelSelector=queue%3Djobs"))!;
        Assert.Equal("ExternalMetricValueList", (string)list["kind"]!);
        var item = Assert.Single(list["items"]!.AsArray())!;
        Assert.Equal("jobs", (string)item["metricLabels"]!["queue"]!);
        var average = Value(await Kubectl.OkAsync("get", "hpa", "worker", "-n", Ns, "-o", "jsonpath={.status.currentMetrics[0].external.current.averageValue}"));
        Assert.Equal(average * 3, Value((string)item["value"]!));

        var (exit, _, error) = await Kubectl.RunAsync("get", "--raw", $"/apis/external.metrics.k8s.io/v1beta1/namespaces/{Ns}/keelson_queue_length?labelSelector=queue%3Dother");
        Assert.NotEqual(0, exit);
        Assert.Contains("NotFound", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_metric_nothing_has_is_not_found_and_discovery_lists_the_groups()
    {
        var (exit, _, error) = await Kubectl.RunAsync("get", "--raw", $"/apis/custom.metrics.k8s.io/v1beta2/namespaces/{Ns}/pods/*/queue_depth");
        Assert.NotEqual(0, exit);
        Assert.Contains("NotFound", error, StringComparison.Ordinal);

        // api-resources leaves out names with a slash (subresources), which is how adapters name per-pod metrics.
        var custom = JsonNode.Parse(await Kubectl.OkAsync("get", "--raw", "/apis/custom.metrics.k8s.io/v1beta2"))!["resources"]!.AsArray().Select(r => (string)r!["name"]!).ToList();
        Assert.Contains("pods/active_sessions", custom);
        Assert.Contains("pods/http_requests_per_second", custom);
        Assert.Contains("keelson_queue_length", await Kubectl.OkAsync("api-resources", "--api-group=external.metrics.k8s.io", "--no-headers"), StringComparison.Ordinal);
        var groups = JsonNode.Parse(await Kubectl.OkAsync("get", "--raw", "/apis"))!["groups"]!.AsArray().Select(g => (string)g!["name"]!).ToList();
        Assert.Contains("custom.metrics.k8s.io", groups);
        Assert.Contains("external.metrics.k8s.io", groups);
    }

    private static double Value(string quantity) => (double)new ResourceQuantity(quantity.Trim()).ToDecimal();
}
