namespace Keelson.Sandbox.Server.Tests.Endpoints;

public sealed class WriteEndpointsTests
{
    [Fact]
    public async Task Put_replaces_and_a_stale_resource_version_is_a_Conflict()
    {
        await using var server = await Objects.ShopAsync();
        var (_, created) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/shop/configmaps", Objects.ConfigMap("a", "web"));
        var current = created!.AsObject();
        current["data"]!["value"] = "2";
        var (status, replaced) = await server.SendAsync(HttpMethod.Put, "/api/v1/namespaces/shop/configmaps/a", current.ToJsonString());
        Assert.Equal(200, status);
        Assert.Equal("2", (string?)replaced!["data"]!["value"]);

        // The first version is stale now.
        (status, var body) = await server.SendAsync(HttpMethod.Put, "/api/v1/namespaces/shop/configmaps/a", current.ToJsonString());
        Assert.Equal(409, status);
        Assert.Equal("Conflict", (string?)body!["reason"]);
    }

    [Fact]
    public async Task Deleting_a_pod_terminates_it_and_its_replica_set_replaces_it()
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/shop/deployments", Objects.Deployment("web"));
        server.Server.Advance(TimeSpan.FromSeconds(30));
        var (_, pods) = await server.GetAsync("/api/v1/namespaces/shop/pods");
        var victim = (string)pods!["items"]![0]!["metadata"]!["name"]!;

        var (status, deleted) = await server.SendAsync(HttpMethod.Delete, $"/api/v1/namespaces/shop/pods/{victim}");
        Assert.Equal(200, status);
        Assert.NotNull(deleted!["metadata"]!["deletionTimestamp"]);

        server.Server.Advance(TimeSpan.FromSeconds(30));
        (_, pods) = await server.GetAsync("/api/v1/namespaces/shop/pods");
        var names = pods!["items"]!.AsArray().Select(p => (string?)p!["metadata"]!["name"]).ToList();
        Assert.Equal(2, names.Count);
        Assert.DoesNotContain(victim, names);
    }

    [Fact]
    public async Task Deleting_a_config_map_returns_a_Success_Status()
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/shop/configmaps", Objects.ConfigMap("a", "web"));
        var (status, body) = await server.SendAsync(HttpMethod.Delete, "/api/v1/namespaces/shop/configmaps/a");
        Assert.Equal(200, status);
        Assert.Equal("Success", (string?)body!["status"]);
        Assert.Equal(404, (await server.GetAsync("/api/v1/namespaces/shop/configmaps/a")).Status);
    }

    [Fact]
    public async Task Scale_subresource_reads_and_patches_replicas()
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/shop/deployments", Objects.Deployment("web"));
        var (_, scale) = await server.GetAsync("/apis/apps/v1/namespaces/shop/deployments/web/scale");
        Assert.Equal("Scale", (string?)scale!["kind"]);
        Assert.Equal(2, (int)scale["spec"]!["replicas"]!);
        Assert.Equal("app=web", (string?)scale["status"]!["selector"]);

        var (status, _) = await server.SendAsync(HttpMethod.Patch, "/apis/apps/v1/namespaces/shop/deployments/web/scale", """{"spec":{"replicas":4}}""", "application/merge-patch+json");
        Assert.Equal(200, status);
        server.Server.Advance(TimeSpan.FromSeconds(30));
        var (_, deployment) = await server.GetAsync("/apis/apps/v1/namespaces/shop/deployments/web");
        Assert.Equal(4, (int)deployment!["spec"]!["replicas"]!);
        Assert.Equal(4, (int)deployment["status"]!["readyReplicas"]!);
    }
}
