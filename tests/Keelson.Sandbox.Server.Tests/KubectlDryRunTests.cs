namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// <c>kubectl diff</c> and every <c>--dry-run=server</c> through the real kubectl: each answers as it would on a real
/// cluster, and the sandbox's latest resourceVersion (which any stored change moves) stays where it was.
/// </summary>
public sealed class KubectlDryRunTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>, IAsyncLifetime
{
    private const string Ns = RestaurantCluster.Namespace;

    private Kubectl Kubectl => cluster.Kubectl;

    private SandboxApiServer Server => cluster.Server.Server;

    public async Task InitializeAsync()
    {
        await Kubectl.OkAsync("apply", "-f", cluster.ManifestPath);
        Server.Advance(TimeSpan.FromMinutes(1));
        await Kubectl.OkAsync("apply", "-f", await ManifestAsync("settings", "v1"));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Diff_shows_the_change_and_stores_nothing()
    {
        var before = StoreVersion();
        var (exit, output, error) = await Kubectl.RunAsync("diff", "-f", await ManifestAsync("settings", "v2"));
        Assert.True(exit == 1, $"kubectl diff exits 1 when there are differences, got {exit}: {output}{error}");
        Assert.Matches(@"(?m)^-\s+mode: v1$", output);
        Assert.Matches(@"(?m)^\+\s+mode: v2$", output);
        Assert.Equal(before, StoreVersion());
        Assert.Equal("v1", await Kubectl.OkAsync("get", "configmap", "settings", "-n", Ns, "-o", "jsonpath={.data.mode}"));
    }

    [Fact]
    public async Task Diff_of_a_new_object_shows_it_whole_and_creates_nothing()
    {
        var before = StoreVersion();
        var (exit, output, _) = await Kubectl.RunAsync("diff", "-f", await ManifestAsync("fresh", "v1"));
        Assert.Equal(1, exit);
        Assert.Matches(@"(?m)^\+\s+name: fresh$", output);
        Assert.Equal(before, StoreVersion());
        Assert.Contains("NotFound", (await Kubectl.RunAsync("get", "configmap", "fresh", "-n", Ns)).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_dry_run_server_reports_configured_and_stores_nothing()
    {
        var before = StoreVersion();
        var output = await Kubectl.OkAsync("apply", "--dry-run=server", "-f", await ManifestAsync("settings", "v3"));
        Assert.Contains("configmap/settings configured (server dry run)", output, StringComparison.Ordinal);
        Assert.Equal(before, StoreVersion());
        Assert.Equal("v1", await Kubectl.OkAsync("get", "configmap", "settings", "-n", Ns, "-o", "jsonpath={.data.mode}"));
    }

    [Fact]
    public async Task Server_side_apply_dry_run_returns_the_would_be_object()
    {
        // Created without kubectl's last-applied annotation, which would make kubectl re-apply that configuration too;
        // kubectl-create owns data.mode, so the apply forces its change.
        await Kubectl.RunAsync("create", "-f", await ManifestAsync("applied", "v1"));
        var before = StoreVersion();
        var output = await Kubectl.OkAsync("apply", "--server-side", "--force-conflicts", "--dry-run=server", "-f", await ManifestAsync("applied", "v4"), "-o", "jsonpath={.data.mode}");
        Assert.Equal("v4", output);
        Assert.Equal(before, StoreVersion());
    }

    [Fact]
    public async Task Create_dry_run_server_creates_nothing()
    {
        var before = StoreVersion();
        var output = await Kubectl.OkAsync("create", "--dry-run=server", "-f", await ManifestAsync("brand-new", "v1"), "-o", "jsonpath={.metadata.uid}/{.metadata.resourceVersion}");
        Assert.Matches("^[0-9a-f-]{36}/$", output);
        Assert.Equal(before, StoreVersion());
        Assert.Contains("NotFound", (await Kubectl.RunAsync("get", "configmap", "brand-new", "-n", Ns)).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_dry_run_of_an_existing_object_is_still_AlreadyExists()
    {
        var (exit, _, error) = await Kubectl.RunAsync("create", "--dry-run=server", "-f", await ManifestAsync("settings", "v1"));
        Assert.NotEqual(0, exit);
        Assert.Contains("AlreadyExists", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replace_dry_run_server_stores_nothing()
    {
        var before = StoreVersion();
        Assert.Contains("configmap/settings replaced (server dry run)", await Kubectl.OkAsync("replace", "--dry-run=server", "-f", await ManifestAsync("settings", "v5")), StringComparison.Ordinal);
        Assert.Equal(before, StoreVersion());
    }

    [Fact]
    public async Task Scale_dry_run_server_leaves_the_replicas()
    {
        var before = StoreVersion();
        var output = await Kubectl.OkAsync("scale", "deploy/user", "--replicas=7", "--dry-run=server", "-n", Ns);
        Assert.Contains("deployment.apps/user scaled (server dry run)", output, StringComparison.Ordinal);
        Assert.Equal(before, StoreVersion());
        Server.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("2", await Kubectl.OkAsync("get", "deploy", "user", "-n", Ns, "-o", "jsonpath={.spec.replicas}"));
    }

    [Theory]
    [InlineData("strategic", """{"spec":{"replicas":9}}""")]
    [InlineData("merge", """{"spec":{"replicas":9}}""")]
    [InlineData("json", """[{"op":"replace","path":"/spec/replicas","value":9}]""")]
    public async Task Patch_dry_run_server_returns_the_patched_object_and_stores_nothing(string type, string patch)
    {
        var before = StoreVersion();
        var output = await Kubectl.OkAsync("patch", "deploy", "user", "-n", Ns, "--type", type, "-p", patch, "--dry-run=server", "-o", "jsonpath={.spec.replicas}");
        Assert.Equal("9", output);
        Assert.Equal(before, StoreVersion());
        Assert.Equal("2", await Kubectl.OkAsync("get", "deploy", "user", "-n", Ns, "-o", "jsonpath={.spec.replicas}"));
    }

    [Fact]
    public async Task Delete_dry_run_server_keeps_the_deployment_and_the_pod()
    {
        var before = StoreVersion();
        Assert.Contains("deployment.apps \"gateway\" deleted (server dry run)", await Kubectl.OkAsync("delete", "deploy", "gateway", "-n", Ns, "--dry-run=server"), StringComparison.Ordinal);
        var pod = (await Kubectl.OkAsync("get", "pods", "-l", "app.kubernetes.io/name=user", "-n", Ns, "-o", "jsonpath={.items[0].metadata.name}")).Trim();
        Assert.Contains($"pod \"{pod}\" deleted (server dry run)", await Kubectl.OkAsync("delete", "pod", pod, "-n", Ns, "--dry-run=server"), StringComparison.Ordinal);
        Assert.Equal(before, StoreVersion());
        Server.Advance(TimeSpan.FromSeconds(30));
        await Kubectl.OkAsync("get", "deploy", "gateway", "-n", Ns);
        Assert.DoesNotContain("deletionTimestamp", await Kubectl.OkAsync("get", "pod", pod, "-n", Ns, "-o", "json"), StringComparison.Ordinal);
    }

    // Any stored change takes a new resourceVersion; with the clock stopped, nothing else moves it.
    private long StoreVersion() => Server.Inspect(c => c.Engine.Store.ResourceVersion);

    private async Task<string> ManifestAsync(string name, string mode)
    {
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, $"{name}-{mode}.yaml");
        await File.WriteAllTextAsync(path, $"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {name}
              namespace: {Ns}
            data:
              mode: {mode}
            """);
        return path;
    }
}
