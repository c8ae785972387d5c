namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// <c>kubectl rollout pause|resume|undo|status|history</c> and <c>kubectl patch --type=json</c> through the real kubectl,
/// on small deployments of their own (no autoscaler to fight the replica counts).
/// </summary>
public sealed class KubectlRolloutTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    private Kubectl Kubectl => cluster.Kubectl;

    [Fact]
    public async Task Pause_holds_a_new_template_while_scaling_applies_and_resume_rolls_it_out()
    {
        await DeployAsync("menu-a", "menu:1");
        Assert.Contains("deployment.apps/menu-a paused", await Kubectl.OkAsync("rollout", "pause", "deploy/menu-a"), StringComparison.Ordinal);
        await Kubectl.OkAsync("set", "image", "deploy/menu-a", "app=menu:2");
        await Kubectl.OkAsync("scale", "deploy/menu-a", "--replicas=3");
        cluster.Server.Server.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(["menu:1", "menu:1", "menu:1"], await ImagesAsync("menu-a"));
        Assert.Single((await Kubectl.OkAsync("get", "rs", "-l", "app=menu-a", "--no-headers")).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("DeploymentPaused", await Kubectl.OkAsync("get", "deploy", "menu-a", "-o", "jsonpath={.status.conditions[?(@.type==\"Progressing\")].reason}"));

        Assert.Contains("deployment.apps/menu-a resumed", await Kubectl.OkAsync("rollout", "resume", "deploy/menu-a"), StringComparison.Ordinal);
        var (exit, output) = await cluster.WhileAdvancingAsync("rollout", "status", "deploy/menu-a", "--timeout=60s");
        Assert.True(exit == 0, output);
        Assert.Contains("deployment \"menu-a\" successfully rolled out", output, StringComparison.Ordinal);
        cluster.Server.Server.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(["menu:2", "menu:2", "menu:2"], await ImagesAsync("menu-a"));
    }

    [Fact]
    public async Task Undo_goes_back_to_the_previous_template_and_history_lists_the_revisions()
    {
        await DeployAsync("menu-b", "menu:1");
        await Kubectl.OkAsync("set", "image", "deploy/menu-b", "app=menu:2");
        Assert.Equal(0, (await cluster.WhileAdvancingAsync("rollout", "status", "deploy/menu-b", "--timeout=60s")).Exit);
        Assert.Matches(@"(?m)^1\s+<none>\s*\n2\s+<none>", await Kubectl.OkAsync("rollout", "history", "deploy/menu-b"));

        Assert.Contains("deployment.apps/menu-b rolled back", await Kubectl.OkAsync("rollout", "undo", "deploy/menu-b"), StringComparison.Ordinal);
        var (exit, output) = await cluster.WhileAdvancingAsync("rollout", "status", "deploy/menu-b", "--timeout=60s");
        Assert.True(exit == 0, output);
        cluster.Server.Server.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(["menu:1", "menu:1"], await ImagesAsync("menu-b"));

        // Rolling back reuses revision 1's ReplicaSet as revision 3, as Kubernetes does.
        Assert.Matches(@"(?m)^2\s+<none>\s*\n3\s+<none>", await Kubectl.OkAsync("rollout", "history", "deploy/menu-b"));
        Assert.Contains("menu:2", await Kubectl.OkAsync("rollout", "history", "deploy/menu-b", "--revision=2"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Undo_of_a_paused_deployment_is_refused_by_kubectl()
    {
        await DeployAsync("menu-c", "menu:1");
        await Kubectl.OkAsync("set", "image", "deploy/menu-c", "app=menu:2");
        Assert.Equal(0, (await cluster.WhileAdvancingAsync("rollout", "status", "deploy/menu-c", "--timeout=60s")).Exit);
        await Kubectl.OkAsync("rollout", "pause", "deploy/menu-c");
        var (exit, _, error) = await Kubectl.RunAsync("rollout", "undo", "deploy/menu-c");
        Assert.NotEqual(0, exit);
        Assert.Contains("you cannot rollback a paused deployment", error, StringComparison.Ordinal);
        Assert.Equal("menu:2", await Kubectl.OkAsync("get", "deploy", "menu-c", "-o", "jsonpath={.spec.template.spec.containers[0].image}"));
    }

    [Fact]
    public async Task Patch_type_json_replaces_the_image_and_a_failed_test_changes_nothing()
    {
        await DeployAsync("menu-d", "menu:1");
        var patch = """[{"op":"test","path":"/spec/template/spec/containers/0/name","value":"app"},{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"menu:3"}]""";
        Assert.Contains("deployment.apps/menu-d patched", await Kubectl.OkAsync("patch", "deploy", "menu-d", "--type=json", "-p", patch), StringComparison.Ordinal);
        Assert.Equal("menu:3", await Kubectl.OkAsync("get", "deploy", "menu-d", "-o", "jsonpath={.spec.template.spec.containers[0].image}"));

        var version = await Kubectl.OkAsync("get", "deploy", "menu-d", "-o", "jsonpath={.metadata.resourceVersion}");
        var (exit, _, error) = await Kubectl.RunAsync("patch", "deploy", "menu-d", "--type=json", "-p", """[{"op":"test","path":"/spec/replicas","value":7},{"op":"replace","path":"/spec/replicas","value":1}]""");
        Assert.NotEqual(0, exit);
        Assert.Contains("testing value /spec/replicas failed", error, StringComparison.Ordinal);
        Assert.Equal(version, await Kubectl.OkAsync("get", "deploy", "menu-d", "-o", "jsonpath={.metadata.resourceVersion}"));

        (exit, _, error) = await Kubectl.RunAsync("patch", "deploy", "menu-d", "--type=json", "-p", """[{"op":"remove","path":"/spec/template/spec/nodeSelector"}]""");
        Assert.NotEqual(0, exit);
        Assert.Contains("Unable to remove nonexistent key: nodeSelector", error, StringComparison.Ordinal);
    }

    private async Task DeployAsync(string name, string image)
    {
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, $"{name}.yaml");
        await File.WriteAllTextAsync(path, $$$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{{name}}}
            spec:
              replicas: 2
              selector: {matchLabels: {app: {{{name}}}}}
              template:
                metadata: {labels: {app: {{{name}}}}}
                spec:
                  containers:
                    - name: app
                      image: {{{image}}}
                      resources: {requests: {cpu: 50m, memory: 64Mi}}
            """);
        await Kubectl.OkAsync("apply", "-f", path);
        cluster.Server.Server.Advance(TimeSpan.FromMinutes(1));
    }

    private async Task<string[]> ImagesAsync(string app) =>
        (await Kubectl.OkAsync("get", "pods", "-l", $"app={app}", "-o", "jsonpath={.items[*].spec.containers[0].image}")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
