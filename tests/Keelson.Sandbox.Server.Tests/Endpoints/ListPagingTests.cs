using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Tests.Endpoints;

/// <summary>List parameters over HTTP: <c>limit</c>/<c>continue</c> pages, per-kind field selectors, watch spellings.</summary>
public sealed class ListPagingTests
{
    private const string ConfigMaps = "/api/v1/namespaces/shop/configmaps";

    [Fact]
    public async Task Limit_pages_through_every_object_once_with_remaining_counts()
    {
        await using var server = await Objects.ShopAsync();
        for (var i = 0; i < 7; i++)
        {
            await server.SendAsync(HttpMethod.Post, ConfigMaps, Objects.ConfigMap($"cm-{i}", "web"));
        }

        var names = new List<string?>();
        var remaining = new List<long?>();
        string? token = null;
        string? version = null;
        do
        {
            var (status, page) = await server.GetAsync($"{ConfigMaps}?limit=3" + (token is null ? "" : $"&continue={Uri.EscapeDataString(token)}"));
            Assert.Equal(200, status);
            names.AddRange(page!["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"]));
            remaining.Add((long?)page["metadata"]!["remainingItemCount"]);
            version ??= (string?)page["metadata"]!["resourceVersion"];
            Assert.Equal(version, (string?)page["metadata"]!["resourceVersion"]);
            token = (string?)page["metadata"]!["continue"];

            // Changes between pages do not change the pages' resourceVersion.
            await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/shop/secrets", """{"apiVersion":"v1","kind":"Secret","metadata":{"generateName":"s-"}}""");
        }
        while (token is not null);

        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"cm-{i}"), names);
        Assert.Equal([4L, 1L, null], remaining);
    }

    [Fact]
    public async Task A_selector_list_pages_without_a_remaining_count()
    {
        await using var server = await Objects.ShopAsync();
        for (var i = 0; i < 4; i++)
        {
            await server.SendAsync(HttpMethod.Post, ConfigMaps, Objects.ConfigMap($"cm-{i}", i % 2 == 0 ? "web" : "api"));
        }

        var (_, page) = await server.GetAsync($"{ConfigMaps}?limit=1&labelSelector=app%3Dweb");
        Assert.Equal("cm-0", (string?)page!["items"]![0]!["metadata"]!["name"]);
        Assert.Null(page["metadata"]!["remainingItemCount"]);
        var (_, next) = await server.GetAsync($"{ConfigMaps}?limit=1&labelSelector=app%3Dweb&continue={Uri.EscapeDataString((string)page["metadata"]!["continue"]!)}");
        Assert.Equal("cm-2", (string?)next!["items"]![0]!["metadata"]!["name"]);
        Assert.Null(next["metadata"]!["continue"]);
    }

    [Fact]
    public async Task A_token_that_is_not_ours_is_a_BadRequest_and_one_past_the_kept_history_is_Expired()
    {
        await using var server = await Objects.ShopAsync();
        var (status, body) = await server.GetAsync($"{ConfigMaps}?limit=1&continue=not-a-token");
        Assert.Equal(400, status);
        Assert.StartsWith("continue key is not valid", (string?)body!["message"], StringComparison.Ordinal);

        // The sandbox keeps 4096 changes per resource: a token older than that is from before its "compaction".
        await server.SendAsync(HttpMethod.Post, ConfigMaps, Objects.ConfigMap("a", "web"));
        await server.SendAsync(HttpMethod.Post, ConfigMaps, Objects.ConfigMap("b", "web"));
        var (_, first) = await server.GetAsync($"{ConfigMaps}?limit=1");
        var token = Uri.EscapeDataString((string)first!["metadata"]!["continue"]!);
        Assert.Equal(200, (await server.GetAsync($"{ConfigMaps}?limit=1&continue={token}")).Status);
        server.Server.Inspect(c =>
        {
            for (var i = 0; i < 4100; i++)
            {
                c.Engine.Store.Update(c.Engine.Store.Get<k8s.Models.V1ConfigMap>("shop", "a")!);
            }

            return 0;
        });

        (status, body) = await server.GetAsync($"{ConfigMaps}?limit=1&continue={token}");
        Assert.Equal(410, status);
        Assert.Equal("Expired", (string?)body!["reason"]);
    }

    [Theory]
    [InlineData("spec.nodeName=general-1", 200)]
    [InlineData("status.phase!=Running", 200)]
    [InlineData("spec.replicas=1", 400)]
    public async Task Pod_field_selectors_take_the_pods_fields_only(string selector, int expected)
    {
        await using var server = await Objects.ShopAsync();
        var (status, body) = await server.GetAsync($"/api/v1/namespaces/shop/pods?fieldSelector={Uri.EscapeDataString(selector)}");
        Assert.Equal(expected, status);
        if (expected == 400)
        {
            Assert.Equal("field label not supported: spec.replicas", (string?)body!["message"]);
        }
    }

    [Fact]
    public async Task Field_selectors_compare_unset_fields_as_the_API_server_does()
    {
        await using var server = await Objects.ShopAsync();
        var (_, nodes) = await server.GetAsync("/api/v1/nodes?fieldSelector=spec.unschedulable%3Dfalse");
        Assert.NotEmpty(nodes!["items"]!.AsArray());
        var (status, body) = await server.GetAsync("/api/v1/nodes?fieldSelector=status.phase%3DReady");
        Assert.Equal(400, status);
        Assert.Equal("field label not supported: status.phase", (string?)body!["message"]);
    }

    [Theory]
    [InlineData("True")]
    [InlineData("1")]
    [InlineData("t")]
    public async Task Any_true_spelling_starts_a_watch(string spelling)
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, ConfigMaps, Objects.ConfigMap("a", "web"));
        using var watch = new StreamReader(await server.Http.GetStreamAsync($"{ConfigMaps}?watch={spelling}"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var first = JsonNode.Parse((await watch.ReadLineAsync(timeout.Token))!)!;
        Assert.Equal("ADDED", (string?)first["type"]);
    }

    [Theory]
    [InlineData("false")]
    [InlineData("False")]
    [InlineData("0")]
    public async Task False_spellings_list(string spelling)
    {
        await using var server = await Objects.ShopAsync();
        var (status, body) = await server.GetAsync($"{ConfigMaps}?watch={spelling}");
        Assert.Equal(200, status);
        Assert.Equal("ConfigMapList", (string?)body!["kind"]);
    }
}
