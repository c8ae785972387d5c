namespace Keelson.Sandbox.Server.Tests;

/// <summary><c>kubectl drain</c> through the real kubectl: evictions through the pods/eviction subresource, refused while a budget disallows them.</summary>
public sealed class KubectlDrainTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    private Kubectl Kubectl => cluster.Kubectl;

    [Fact]
    public async Task Drain_is_held_by_a_budget_then_evicts_once_the_budget_allows()
    {
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, "drained.yaml");
        await File.WriteAllTextAsync(path, """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: drained}
            spec:
              replicas: 2
              selector: {matchLabels: {app: drained}}
              template:
                metadata: {labels: {app: drained}}
                spec:
                  containers: [{name: app, image: "menu:1", resources: {requests: {cpu: 50m, memory: 64Mi}}}]
            ---
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: drained}
            spec:
              minAvailable: 2
              selector: {matchLabels: {app: drained}}
            """);
        await Kubectl.OkAsync("apply", "-f", path);
        cluster.Server.Server.Advance(TimeSpan.FromMinutes(1));
        var node = await Kubectl.OkAsync("get", "pods", "-l", "app=drained", "-o", "jsonpath={.items[0].spec.nodeName}");
        var pod = await Kubectl.OkAsync("get", "pods", "-l", "app=drained", "-o", "jsonpath={.items[0].metadata.name}");

        var (exit, output, error) = await Kubectl.RunAsync("drain", node, "--ignore-daemonsets", "--timeout=8s", "--pod-selector=app=drained");
        Assert.NotEqual(0, exit);
        Assert.Contains("Cannot evict pod as it would violate the pod's disruption budget.", output + error, StringComparison.Ordinal);
        Assert.Contains("node/" + node + " cordoned", output, StringComparison.Ordinal);
        Assert.Equal("true", await Kubectl.OkAsync("get", "node", node, "-o", "jsonpath={.spec.unschedulable}"));
        Assert.Empty(await Kubectl.OkAsync("get", "pod", pod, "-o", "jsonpath={.metadata.deletionTimestamp}"));

        await Kubectl.OkAsync("patch", "pdb", "drained", "--type=merge", "-p", """{"spec":{"minAvailable":1}}""");
        cluster.Server.Server.Advance(TimeSpan.FromSeconds(5));
        var (drained, log) = await cluster.WhileAdvancingAsync("drain", node, "--ignore-daemonsets", "--timeout=50s", "--pod-selector=app=drained");
        Assert.True(drained == 0, log);
        Assert.Contains($"evicting pod default/{pod}", log, StringComparison.Ordinal);
        Assert.Contains($"node/{node} drained", log, StringComparison.Ordinal);
        Assert.DoesNotContain(node, await Kubectl.OkAsync("get", "pods", "-l", "app=drained", "-o", "jsonpath={.items[*].spec.nodeName}"), StringComparison.Ordinal);
        await Kubectl.OkAsync("uncordon", node);
    }
}
