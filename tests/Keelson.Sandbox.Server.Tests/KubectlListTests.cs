namespace Keelson.Sandbox.Server.Tests;

/// <summary>List parameters through the real kubectl: chunked lists follow continue tokens, field selectors are per kind.</summary>
public sealed class KubectlListTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>, IAsyncLifetime
{
    private const string Ns = RestaurantCluster.Namespace;

    private Kubectl Kubectl => cluster.Kubectl;

    public async Task InitializeAsync()
    {
        await Kubectl.OkAsync("apply", "-f", cluster.ManifestPath);
        cluster.Server.Server.Advance(TimeSpan.FromMinutes(1));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Chunked_get_lists_every_object_across_pages()
    {
        var whole = await Kubectl.OkAsync("get", "pods", "-n", Ns, "-o", "name");
        var (exit, chunked, log) = await Kubectl.RunAsync("get", "pods", "-n", Ns, "-o", "name", "--chunk-size=2", "-v=6");
        Assert.Equal(0, exit);
        Assert.True(whole.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length > 4, whole);
        Assert.Equal(whole, chunked);

        // kubectl logs each request at -v=6: the later pages were asked for with the server's continue token.
        Assert.Contains("limit=2", log, StringComparison.Ordinal);
        Assert.Contains("continue=", log, StringComparison.Ordinal);
        var table = await Kubectl.OkAsync("get", "pods", "-n", Ns, "--chunk-size=3", "--no-headers");
        Assert.Equal(whole.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length, table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Pods_select_by_node_and_an_unknown_field_is_refused()
    {
        var node = await Kubectl.OkAsync("get", "pods", "-n", Ns, "-o", "jsonpath={.items[0].spec.nodeName}");
        var nodes = await Kubectl.OkAsync("get", "pods", "-n", Ns, "--field-selector", $"spec.nodeName={node}", "-o", "jsonpath={.items[*].spec.nodeName}");
        Assert.All(nodes.Split(' '), n => Assert.Equal(node, n));
        var others = await Kubectl.OkAsync("get", "pods", "-n", Ns, "--field-selector", $"spec.nodeName!={node},status.phase=Running", "-o", "jsonpath={.items[*].spec.nodeName}");
        Assert.DoesNotContain(node, others.Split(' '));

        var (exit, _, error) = await Kubectl.RunAsync("get", "pods", "-n", Ns, "--field-selector", "spec.image=x");
        Assert.NotEqual(0, exit);
        Assert.Contains("field label not supported: spec.image", error, StringComparison.Ordinal);
    }
}
