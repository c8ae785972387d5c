namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// What the sandbox cannot do, through the real kubectl: <c>exec</c>, <c>port-forward</c> and <c>debug</c> fail with
/// the sandbox's message and a non-zero exit, never a panic; and the health and version endpoints kubectl reads.
/// </summary>
public sealed class KubectlSandboxLimitsTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>, IAsyncLifetime
{
    private Kubectl Kubectl => cluster.Kubectl;

    public async Task InitializeAsync()
    {
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, "box.yaml");
        await File.WriteAllTextAsync(path, """
            apiVersion: v1
            kind: Pod
            metadata: {name: box}
            spec: {containers: [{name: c, image: "busybox:1.36"}]}
            """);
        await Kubectl.RunAsync("apply", "-f", path);
        cluster.Server.Server.Advance(TimeSpan.FromSeconds(30));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("exec", "box", "--", "ls")]
    [InlineData("port-forward", "pod/box", "18080:80")]
    [InlineData("debug", "box", "--image=busybox:1.36", "--", "true")]
    [InlineData("attach", "box")]
    public async Task Container_commands_fail_with_the_sandboxs_reason(params string[] args)
    {
        var (exit, output, error) = await Kubectl.RunAsync(args);
        Assert.NotEqual(0, exit);
        Assert.Contains("not available in the Keelson sandbox: it runs no containers", output + error, StringComparison.Ordinal);
        Assert.DoesNotContain("panic", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exec_in_a_missing_pod_is_NotFound()
    {
        var (exit, _, error) = await Kubectl.RunAsync("exec", "nowhere", "--", "ls");
        Assert.NotEqual(0, exit);
        Assert.Contains("pods \"nowhere\" not found", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_verbose_lists_its_checks()
    {
        var output = await Kubectl.OkAsync("get", "--raw", "/readyz?verbose");
        Assert.Contains("[+]ping ok", output, StringComparison.Ordinal);
        Assert.Contains("[+]etcd ok", output, StringComparison.Ordinal);
        Assert.EndsWith("readyz check passed\n", output, StringComparison.Ordinal);
        Assert.Equal("ok", await Kubectl.OkAsync("get", "--raw", "/livez"));
        Assert.Equal("ok", await Kubectl.OkAsync("get", "--raw", "/healthz"));
        Assert.Equal("ok", await Kubectl.OkAsync("get", "--raw", "/livez/ping"));
        Assert.NotEqual(0, (await Kubectl.RunAsync("get", "--raw", "/livez/no-such-check")).Exit);
    }

    [Fact]
    public async Task Version_reports_a_1_32_server()
    {
        var output = await Kubectl.OkAsync("version");
        Assert.Matches(@"(?m)^Server Version: v1\.32\.", output);
    }
}
