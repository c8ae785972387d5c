namespace Keelson.Sandbox.Server.Tests.Endpoints;

public sealed class ErrorTests
{
    [Fact]
    public async Task Missing_object_is_a_NotFound_Status()
    {
        await using var server = await TestServer.StartAsync();
        var (status, body) = await server.GetAsync("/api/v1/namespaces/default/pods/nothing");
        Assert.Equal(404, status);
        Assert.Equal("Status", (string?)body!["kind"]);
        Assert.Equal("Failure", (string?)body["status"]);
        Assert.Equal("NotFound", (string?)body["reason"]);
        Assert.Equal(404, (int?)body["code"]);
        Assert.Equal("pods", (string?)body["details"]!["kind"]);
    }

    [Theory]
    [InlineData("/api/v1/widgets")]
    [InlineData("/apis/apps/v1/namespaces/default/pods")]
    [InlineData("/api/v1/pods/nothing")]
    [InlineData("/no/such/path")]
    public async Task Unknown_resources_and_paths_are_NotFound(string path)
    {
        await using var server = await TestServer.StartAsync();
        var (status, body) = await server.GetAsync(path);
        Assert.Equal(404, status);
        Assert.Equal("NotFound", (string?)body!["reason"]);
    }

    [Fact]
    public async Task Creating_twice_is_AlreadyExists()
    {
        await using var server = await Objects.ShopAsync();
        var path = "/api/v1/namespaces/shop/configmaps";
        Assert.Equal(201, (await server.SendAsync(HttpMethod.Post, path, Objects.ConfigMap("a", "x"))).Status);
        var (status, body) = await server.SendAsync(HttpMethod.Post, path, Objects.ConfigMap("a", "x"));
        Assert.Equal(409, status);
        Assert.Equal("AlreadyExists", (string?)body!["reason"]);
    }

    [Fact]
    public async Task Missing_name_is_Invalid_and_a_missing_namespace_NotFound()
    {
        await using var server = await Objects.ShopAsync();
        var (status, body) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/shop/configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{}}""");
        Assert.Equal(422, status);
        Assert.Equal("Invalid", (string?)body!["reason"]);

        (status, body) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/elsewhere/configmaps", Objects.ConfigMap("a", "x"));
        Assert.Equal(404, status);
        Assert.Contains("namespaces \"elsewhere\" not found", (string?)body!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_bodies_and_selectors_are_BadRequest()
    {
        await using var server = await Objects.ShopAsync();
        var (status, body) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/shop/configmaps", Objects.Deployment("web"));
        Assert.Equal(400, status);
        Assert.Equal("BadRequest", (string?)body!["reason"]);

        (status, _) = await server.GetAsync("/api/v1/pods?labelSelector=app%20in%20web");
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task Wrong_verb_is_MethodNotAllowed_and_protobuf_UnsupportedMediaType()
    {
        await using var server = await Objects.ShopAsync();
        var (status, body) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/shop/configmaps/a", Objects.ConfigMap("a", "x"));
        Assert.Equal(405, status);
        Assert.Equal("MethodNotAllowed", (string?)body!["reason"]);

        (status, body) = await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/shop/configmaps", "k8s\0", "application/vnd.kubernetes.protobuf");
        Assert.Equal(415, status);
        Assert.Equal("UnsupportedMediaType", (string?)body!["reason"]);
    }
}
