using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// <c>autoscaling/v1</c> through the real kubectl: a v1 HorizontalPodAutoscaler is stored as the v2 object
/// (its CPU target a Resource metric), and reads back in either version.
/// </summary>
public sealed class KubectlAutoscaleTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>, IAsyncLifetime
{
    private Kubectl Kubectl => cluster.Kubectl;

    public async Task InitializeAsync() => await Kubectl.OkAsync("apply", "-f", await ManifestAsync("scaled", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: scaled}
        spec:
          selector: {matchLabels: {app: scaled}}
          template:
            metadata: {labels: {app: scaled}}
            spec: {containers: [{name: web, image: "nginx:1.27", resources: {requests: {cpu: 100m}}}]}
        """));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_autoscaling_v1_object_is_stored_as_v2_and_reads_back_in_both_versions()
    {
        var output = await Kubectl.OkAsync("apply", "-f", await ManifestAsync("hpa-v1", """
            apiVersion: autoscaling/v1
            kind: HorizontalPodAutoscaler
            metadata: {name: scaled}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: scaled}
              minReplicas: 2
              maxReplicas: 5
              targetCPUUtilizationPercentage: 70
            """));
        Assert.Contains("horizontalpodautoscaler.autoscaling/scaled created", output, StringComparison.Ordinal);

        Assert.Equal("autoscaling/v1|2|5|70", await Kubectl.OkAsync("get", "horizontalpodautoscalers.v1.autoscaling", "scaled", "-o",
            "jsonpath={.apiVersion}|{.spec.minReplicas}|{.spec.maxReplicas}|{.spec.targetCPUUtilizationPercentage}"));
        Assert.Equal("autoscaling/v2|Resource|cpu|Utilization|70", await Kubectl.OkAsync("get", "hpa", "scaled", "-o",
            "jsonpath={.apiVersion}|{.spec.metrics[0].type}|{.spec.metrics[0].resource.name}|{.spec.metrics[0].resource.target.type}|{.spec.metrics[0].resource.target.averageUtilization}"));
        Assert.Equal("2", await Kubectl.OkAsync("get", "deploy", "scaled", "-o", "jsonpath={.spec.replicas}"));
    }

    [Fact]
    public async Task Kubectl_autoscale_creates_an_autoscaler_that_get_reads()
    {
        var (exit, output, error) = await Kubectl.RunAsync("autoscale", "deploy/scaled", "--name", "by-cli", "--min", "2", "--max", "5", "--cpu-percent", "70");
        Assert.True(exit == 0, output + error);
        Assert.Contains("horizontalpodautoscaler.autoscaling/by-cli autoscaled", output, StringComparison.Ordinal);
        Assert.Equal("2|5|70", await Kubectl.OkAsync("get", "hpa", "by-cli", "-o",
            "jsonpath={.spec.minReplicas}|{.spec.maxReplicas}|{.spec.metrics[0].resource.target.averageUtilization}"));
    }

    [Fact]
    public async Task A_v1_status_write_keeps_the_conditions_and_metrics_that_only_v2_can_express()
    {
        await Kubectl.OkAsync("apply", "-f", await ManifestAsync("kept", """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: kept}
            spec:
              selector: {matchLabels: {app: kept}}
              template:
                metadata: {labels: {app: kept}}
                spec: {containers: [{name: web, image: "nginx:1.27", resources: {requests: {cpu: 100m, memory: 128Mi}}}]}
            ---
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata: {name: kept}
            spec:
              scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: kept}
              minReplicas: 1
              maxReplicas: 5
              metrics:
              - {type: Resource, resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}}
              - {type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}}
            """));
        cluster.Server.Server.Advance(TimeSpan.FromSeconds(90));
        const string ConditionsAnnotation = "{.metadata.annotations.autoscaling\\.alpha\\.kubernetes\\.io/conditions}";
        const string V2Status = "jsonpath={.status.desiredReplicas}|{.status.conditions[*].type}|{.status.currentMetrics[*].resource.name}|" + ConditionsAnnotation;
        var before = (await Kubectl.OkAsync("get", "hpa", "kept", "-o", V2Status)).Split('|');
        Assert.Equal("cpu memory", before[2]);
        Assert.NotEmpty(before[1]);
        Assert.Empty(before[3]);

        // The v1 view carries what it cannot say in upstream's round-trip annotations, metrics in v1's shape.
        var v1 = JsonNode.Parse(await Kubectl.OkAsync("get", "horizontalpodautoscalers.v1.autoscaling", "kept", "-o", "json"))!;
        var annotations = v1["metadata"]!["annotations"]!;
        Assert.Equal(before[1], string.Join(' ', JsonNode.Parse((string)annotations["autoscaling.alpha.kubernetes.io/conditions"]!)!.AsArray().Select(c => (string?)c!["type"])));
        var others = JsonNode.Parse((string)annotations["autoscaling.alpha.kubernetes.io/current-metrics"]!)!.AsArray();
        Assert.Equal("Resource|memory", $"{others.Single()!["type"]}|{others.Single()!["resource"]!["name"]}");
        Assert.NotNull(others.Single()!["resource"]!["currentAverageUtilization"]);
        Assert.NotNull(v1["status"]!["currentCPUUtilizationPercentage"]);
        Assert.NotEmpty(await Kubectl.OkAsync("get", "horizontalpodautoscalers.v1.autoscaling", "kept", "-o", "jsonpath=" + ConditionsAnnotation));

        // A v1 status patch, and a v1 status replace without the annotations, change v1's fields and lose nothing else.
        await Kubectl.OkAsync("patch", "horizontalpodautoscalers.v1.autoscaling", "kept", "--subresource=status", "--type=merge", "-p", """{"status":{"desiredReplicas":4}}""");
        Assert.Equal(["4", before[1], "cpu memory", ""], (await Kubectl.OkAsync("get", "hpa", "kept", "-o", V2Status)).Split('|'));
        v1 = JsonNode.Parse(await Kubectl.OkAsync("get", "horizontalpodautoscalers.v1.autoscaling", "kept", "-o", "json"))!;
        v1["metadata"]!.AsObject().Remove("annotations");
        v1["status"]!["desiredReplicas"] = 3;
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, "kept-v1.json");
        await File.WriteAllTextAsync(path, v1.ToJsonString());
        await Kubectl.OkAsync("replace", "--subresource=status", "-f", path);
        Assert.Equal(["3", before[1], "cpu memory", ""], (await Kubectl.OkAsync("get", "hpa", "kept", "-o", V2Status)).Split('|'));
    }

    private async Task<string> ManifestAsync(string name, string yaml)
    {
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, $"{name}.yaml");
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }
}
