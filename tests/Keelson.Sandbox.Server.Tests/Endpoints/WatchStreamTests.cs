using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Tests.Endpoints;

public sealed class WatchStreamTests
{
    private const string ConfigMaps = "/api/v1/namespaces/shop/configmaps";

    [Fact]
    public async Task Watch_from_zero_sends_current_objects_then_changes()
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, ConfigMaps, Objects.ConfigMap("a", "web"));
        using var watch = await OpenAsync(server, ConfigMaps + "?watch=true");

        Assert.Equal(("ADDED", "a"), await NextAsync(watch));
        await server.SendAsync(HttpMethod.Post, ConfigMaps, Objects.ConfigMap("b", "web"));
        Assert.Equal(("ADDED", "b"), await NextAsync(watch));
        await server.SendAsync(HttpMethod.Patch, ConfigMaps + "/a", """{"data":{"value":"2"}}""", "application/merge-patch+json");
        Assert.Equal(("MODIFIED", "a"), await NextAsync(watch));
        await server.SendAsync(HttpMethod.Delete, ConfigMaps + "/b");
        Assert.Equal(("DELETED", "b"), await NextAsync(watch));
    }

    [Fact]
    public async Task Watch_from_a_lists_version_replays_a_deletion_made_in_between()
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, ConfigMaps, Objects.ConfigMap("a", "web"));
        await server.SendAsync(HttpMethod.Post, ConfigMaps, Objects.ConfigMap("b", "web"));
        var (_, list) = await server.GetAsync(ConfigMaps);
        var version = (string)list!["metadata"]!["resourceVersion"]!;
        await server.SendAsync(HttpMethod.Delete, ConfigMaps + "/a");

        using var watch = await OpenAsync(server, $"{ConfigMaps}?watch=true&resourceVersion={version}");
        Assert.Equal(("DELETED", "a"), await NextAsync(watch));
        await server.SendAsync(HttpMethod.Post, ConfigMaps, Objects.ConfigMap("c", "web"));
        Assert.Equal(("ADDED", "c"), await NextAsync(watch));
    }

    [Fact]
    public async Task Watch_applies_selectors_and_ends_after_its_timeout()
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, ConfigMaps, Objects.ConfigMap("a", "web"));
        await server.SendAsync(HttpMethod.Post, ConfigMaps, Objects.ConfigMap("b", "db"));
        using var watch = await OpenAsync(server, ConfigMaps + "?watch=true&labelSelector=app%3Ddb&timeoutSeconds=1");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var rest = await watch.ReadToEndAsync(timeout.Token);
        var frames = rest.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (string?)JsonNode.Parse(l)!["object"]!["metadata"]!["name"]).ToList();
        Assert.Equal(["b"], frames);
    }

    private static async Task<StreamReader> OpenAsync(TestServer server, string path)
    {
        var response = await server.Http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        return new StreamReader(await response.Content.ReadAsStreamAsync());
    }

    private static async Task<(string? Type, string? Name)> NextAsync(StreamReader watch)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var line = await watch.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("the watch ended");
        var frame = JsonNode.Parse(line)!;
        return ((string?)frame["type"], (string?)frame["object"]!["metadata"]!["name"]);
    }
}
