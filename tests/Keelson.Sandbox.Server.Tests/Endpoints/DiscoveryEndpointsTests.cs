namespace Keelson.Sandbox.Server.Tests.Endpoints;

public sealed class DiscoveryEndpointsTests
{
    [Fact]
    public async Task Core_and_group_discovery_list_the_served_resources_with_short_names()
    {
        await using var server = await TestServer.StartAsync();

        var (_, api) = await server.GetAsync("/api");
        Assert.Equal("v1", (string?)api!["versions"]![0]);

        var (_, groups) = await server.GetAsync("/apis");
        var names = groups!["groups"]!.AsArray().Select(g => (string?)g!["name"]).ToList();
        Assert.Contains("apps", names);
        Assert.Contains("monitoring.coreos.com", names);
        Assert.Contains("keda.sh", names);

        var (_, core) = await server.GetAsync("/api/v1");
        var pods = core!["resources"]!.AsArray().Single(r => (string?)r!["name"] == "pods")!;
        Assert.Equal("po", (string?)pods["shortNames"]![0]);
        Assert.True((bool)pods["namespaced"]!);
        Assert.Contains("watch", pods["verbs"]!.AsArray().Select(v => (string?)v));

        var (_, apps) = await server.GetAsync("/apis/apps/v1");
        var scale = apps!["resources"]!.AsArray().Single(r => (string?)r!["name"] == "deployments/scale")!;
        Assert.Equal("Scale", (string?)scale["kind"]);
        Assert.Equal("autoscaling", (string?)scale["group"]);
    }

    [Fact]
    public async Task Aggregated_discovery_requests_get_the_legacy_form()
    {
        await using var server = await TestServer.StartAsync();
        var (status, body) = await server.GetAsync("/apis", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
        Assert.Equal(200, status);
        Assert.Equal("APIGroupList", (string?)body!["kind"]);
    }

    [Fact]
    public async Task OpenApi_v3_declares_field_validation_on_every_patch()
    {
        await using var server = await TestServer.StartAsync();
        var (_, root) = await server.GetAsync("/openapi/v3");
        Assert.NotNull(root!["paths"]!["apis/apps/v1"]);

        var (_, apps) = await server.GetAsync("/openapi/v3/apis/apps/v1");
        var patch = apps!["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;
        Assert.Equal("Deployment", (string?)patch["x-kubernetes-group-version-kind"]!["kind"]);
        Assert.Contains("fieldValidation", patch["parameters"]!.AsArray().Select(p => (string?)p!["name"]));
    }
}
