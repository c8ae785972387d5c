using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Tests.Endpoints;

/// <summary><c>dryRun=All</c> at the HTTP level: the would-be object comes back, nothing is stored or watched.</summary>
public sealed class DryRunTests
{
    private const string ConfigMaps = "/api/v1/namespaces/shop/configmaps";

    [Fact]
    public async Task Dry_run_create_returns_the_object_with_a_uid_but_no_resource_version_and_stores_nothing()
    {
        await using var server = await Objects.ShopAsync();
        var before = Version(server);
        var (status, created) = await server.SendAsync(HttpMethod.Post, ConfigMaps + "?dryRun=All", Objects.ConfigMap("a", "web"));
        Assert.Equal(201, status);
        Assert.NotNull((string?)created!["metadata"]!["uid"]);
        Assert.Null(created["metadata"]!["resourceVersion"]);
        Assert.Equal(before, Version(server));
        Assert.Equal(404, (await server.GetAsync(ConfigMaps + "/a")).Status);
    }

    [Fact]
    public async Task Dry_run_server_side_apply_returns_the_merged_object_and_keeps_the_stored_one()
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, ConfigMaps, Objects.ConfigMap("a", "web", "1"));
        var before = Version(server);
        var (status, applied) = await server.SendAsync(HttpMethod.Patch, ConfigMaps + "/a?dryRun=All&fieldManager=test&force=true", Objects.ConfigMap("a", "web", "2"), "application/apply-patch+yaml");
        Assert.Equal(200, status);
        Assert.Equal("2", (string?)applied!["data"]!["value"]);
        Assert.Equal(before, Version(server));
        Assert.Equal("1", (string?)(await server.GetAsync(ConfigMaps + "/a")).Body!["data"]!["value"]);
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Dry_run_writes_keep_the_resource_version_and_send_no_watch_event(string verb)
    {
        await using var server = await Objects.ShopAsync();
        var (_, created) = await server.SendAsync(HttpMethod.Post, ConfigMaps, Objects.ConfigMap("a", "web", "1"));
        var version = (string)created!["metadata"]!["resourceVersion"]!;
        using var watch = new StreamReader(await server.Http.GetStreamAsync($"{ConfigMaps}?watch=true&resourceVersion={version}"));

        var (status, body) = verb switch
        {
            "PUT" => await server.SendAsync(HttpMethod.Put, ConfigMaps + "/a?dryRun=All", Objects.ConfigMap("a", "web", "2")),
            "PATCH" => await server.SendAsync(HttpMethod.Patch, ConfigMaps + "/a?dryRun=All", """{"data":{"value":"2"}}""", "application/merge-patch+json"),
            _ => await server.SendAsync(HttpMethod.Delete, ConfigMaps + "/a", """{"kind":"DeleteOptions","apiVersion":"v1","dryRun":["All"]}"""),
        };
        Assert.Equal(200, status);
        if (verb != "DELETE")
        {
            Assert.Equal("2", (string?)body!["data"]!["value"]);
            Assert.Equal(version, (string?)body["metadata"]!["resourceVersion"]);
        }

        // A real change after the dry run: the first event a watcher sees is that one.
        await server.SendAsync(HttpMethod.Patch, ConfigMaps + "/a", """{"data":{"value":"3"}}""", "application/merge-patch+json");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var first = JsonNode.Parse((await watch.ReadLineAsync(timeout.Token))!)!;
        Assert.Equal("MODIFIED", (string?)first["type"]);
        Assert.Equal("3", (string?)first["object"]!["data"]!["value"]);
    }

    [Theory]
    [InlineData("POST", "CreateOptions")]
    [InlineData("PUT", "UpdateOptions")]
    [InlineData("PATCH", "PatchOptions")]
    [InlineData("DELETE", "DeleteOptions")]
    public async Task An_unknown_dry_run_value_is_refused_as_Invalid_options(string verb, string options)
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, ConfigMaps, Objects.ConfigMap("a", "web"));
        var (status, body) = verb switch
        {
            "POST" => await server.SendAsync(HttpMethod.Post, ConfigMaps + "?dryRun=Some", Objects.ConfigMap("b", "web")),
            "PUT" => await server.SendAsync(HttpMethod.Put, ConfigMaps + "/a?dryRun=Some", Objects.ConfigMap("a", "web")),
            "PATCH" => await server.SendAsync(HttpMethod.Patch, ConfigMaps + "/a?dryRun=Some", "{}", "application/merge-patch+json"),
            _ => await server.SendAsync(HttpMethod.Delete, ConfigMaps + "/a?dryRun=Some"),
        };
        Assert.Equal(422, status);
        Assert.Equal("Invalid", (string?)body!["reason"]);
        Assert.Equal($"{options}.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{{\"Some\"}}: supported values: \"All\"", (string?)body["message"]);
        Assert.Equal(200, (await server.GetAsync(ConfigMaps + "/a")).Status);
    }

    [Fact]
    public async Task Dry_run_scale_answers_the_new_count_and_keeps_the_old()
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/shop/deployments", Objects.Deployment("web"));
        var before = Version(server);
        var (status, scale) = await server.SendAsync(HttpMethod.Patch, "/apis/apps/v1/namespaces/shop/deployments/web/scale?dryRun=All", """{"spec":{"replicas":6}}""", "application/merge-patch+json");
        Assert.Equal(200, status);
        Assert.Equal(6, (int)scale!["spec"]!["replicas"]!);
        Assert.Equal(before, Version(server));
        Assert.Equal(2, (int)(await server.GetAsync("/apis/apps/v1/namespaces/shop/deployments/web")).Body!["spec"]!["replicas"]!);
    }

    private static long Version(TestServer server) => server.Server.Inspect(c => c.Engine.Store.ResourceVersion);
}
