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

    private async Task<string> ManifestAsync(string name, string yaml)
    {
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, $"{name}.yaml");
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }
}
