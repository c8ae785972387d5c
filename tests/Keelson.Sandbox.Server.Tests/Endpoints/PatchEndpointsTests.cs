namespace Keelson.Sandbox.Server.Tests.Endpoints;

public sealed class PatchEndpointsTests
{
    private const string Web = "/apis/apps/v1/namespaces/shop/deployments/web";

    [Fact]
    public async Task Merge_patch_changes_replicas_and_bumps_the_generation()
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/shop/deployments", Objects.Deployment("web"));
        var (status, patched) = await server.SendAsync(HttpMethod.Patch, Web, """{"spec":{"replicas":3},"metadata":{"labels":{"tier":"front"}}}""", "application/merge-patch+json");
        Assert.Equal(200, status);
        Assert.Equal(3, (int)patched!["spec"]!["replicas"]!);
        Assert.Equal("front", (string?)patched["metadata"]!["labels"]!["tier"]);
        Assert.Equal(2, (int)patched["metadata"]!["generation"]!);
    }

    [Fact]
    public async Task Strategic_patch_changes_one_container_by_name_and_keeps_the_other()
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/shop/deployments", Objects.Deployment("web"));
        var patch = """{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"envoy:2"}]}}}}""";
        var (status, patched) = await server.SendAsync(HttpMethod.Patch, Web, patch, "application/strategic-merge-patch+json");
        Assert.Equal(200, status);
        var containers = patched!["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["nginx:1", "envoy:2"], containers.Select(c => (string?)c!["image"]));
        Assert.Equal("32Mi", (string?)containers[1]!["resources"]!["requests"]!["memory"]);
    }

    [Fact]
    public async Task Server_side_apply_creates_then_merges_into_the_live_object()
    {
        await using var server = await Objects.ShopAsync();
        var (status, created) = await server.SendAsync(HttpMethod.Patch, Web + "?fieldManager=test", Objects.Deployment("web", 1), "application/apply-patch+yaml");
        Assert.Equal(201, status);
        Assert.Equal(1, (int)created!["spec"]!["replicas"]!);

        var yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              labels: {owner: team-a}
            spec:
              replicas: 3
            """;
        // Another manager's apply merges into what "test" applied (the same manager dropping the template would remove it).
        (status, var applied) = await server.SendAsync(HttpMethod.Patch, Web + "?fieldManager=other&force=true", yaml, "application/apply-patch+yaml");
        Assert.Equal(200, status);
        Assert.Equal(3, (int)applied!["spec"]!["replicas"]!);
        Assert.Equal("team-a", (string?)applied["metadata"]!["labels"]!["owner"]);
        Assert.Equal(2, applied["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Count);
    }

    [Fact]
    public async Task Patching_a_missing_object_is_NotFound_and_an_unknown_patch_type_unsupported()
    {
        await using var server = await Objects.ShopAsync();
        Assert.Equal(404, (await server.SendAsync(HttpMethod.Patch, Web, "{}", "application/merge-patch+json")).Status);
        Assert.Equal(404, (await server.SendAsync(HttpMethod.Patch, Web, "[]", "application/json-patch+json")).Status);
        await server.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/shop/deployments", Objects.Deployment("web"));
        var (status, body) = await server.SendAsync(HttpMethod.Patch, Web, "{}", "application/cbor");
        Assert.Equal(415, status);
        Assert.Equal("UnsupportedMediaType", (string?)body!["reason"]);
    }

    [Fact]
    public async Task Json_patch_replaces_adds_and_appends_then_a_failed_test_is_422_and_changes_nothing()
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/shop/deployments", Objects.Deployment("web"));
        var patch = """
            [{"op":"test","path":"/spec/replicas","value":2},
             {"op":"replace","path":"/spec/replicas","value":4},
             {"op":"add","path":"/metadata/labels","value":{"a/b":"x"}},
             {"op":"replace","path":"/metadata/labels/a~1b","value":"y"},
             {"op":"add","path":"/spec/template/spec/containers/-","value":{"name":"log","image":"fluentbit:3"}}]
            """;
        var (status, patched) = await server.SendAsync(HttpMethod.Patch, Web, patch, "application/json-patch+json");
        Assert.Equal(200, status);
        Assert.Equal(4, (int)patched!["spec"]!["replicas"]!);
        Assert.Equal("y", (string?)patched["metadata"]!["labels"]!["a/b"]);
        Assert.Equal(["web", "sidecar", "log"], patched["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => (string?)c!["name"]));

        var version = (string?)patched["metadata"]!["resourceVersion"];
        (status, var failed) = await server.SendAsync(HttpMethod.Patch, Web, """[{"op":"replace","path":"/spec/replicas","value":9},{"op":"test","path":"/spec/replicas","value":2}]""", "application/json-patch+json");
        Assert.Equal(422, status);
        Assert.Equal("Invalid", (string?)failed!["reason"]);
        Assert.Contains("testing value /spec/replicas failed", (string?)failed["message"], StringComparison.Ordinal);
        var (_, live) = await server.GetAsync(Web);
        Assert.Equal(4, (int)live!["spec"]!["replicas"]!);
        Assert.Equal(version, (string?)live["metadata"]!["resourceVersion"]);

        (status, _) = await server.SendAsync(HttpMethod.Patch, Web, """{"op":"add"}""", "application/json-patch+json");
        Assert.Equal(400, status);
        (status, _) = await server.SendAsync(HttpMethod.Patch, Web, """[{"op":"remove","path":"/spec/nothing"}]""", "application/json-patch+json");
        Assert.Equal(422, status);
    }
}
