namespace Keelson.Sandbox.Server.Tests.Endpoints;

public sealed class ReadEndpointsTests
{
    [Fact]
    public async Task List_filters_by_label_and_field_selectors()
    {
        await using var server = await Objects.ShopAsync();
        foreach (var (name, app) in new[] { ("a", "web"), ("b", "web"), ("c", "db") })
        {
            await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/shop/configmaps", Objects.ConfigMap(name, app));
        }

        Assert.Equal(["a", "b"], await NamesAsync(server, "/api/v1/namespaces/shop/configmaps?labelSelector=app%3Dweb"));
        Assert.Equal(["c"], await NamesAsync(server, "/api/v1/namespaces/shop/configmaps?labelSelector=app%20notin%20(web)"));
        Assert.Equal(["b"], await NamesAsync(server, "/api/v1/configmaps?fieldSelector=metadata.name%3Db"));
        Assert.Equal(["a", "c"], await NamesAsync(server, "/api/v1/configmaps?fieldSelector=metadata.name!%3Db,metadata.namespace%3Dshop"));

        var (_, list) = await server.GetAsync("/api/v1/namespaces/shop/configmaps");
        Assert.Equal("ConfigMapList", (string?)list!["kind"]);
        Assert.False(string.IsNullOrEmpty((string?)list["metadata"]!["resourceVersion"]));
    }

    [Fact]
    public async Task Pods_as_a_table_have_kubectls_columns_with_node_only_in_wide()
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/shop/deployments", Objects.Deployment("web"));
        server.Server.Advance(TimeSpan.FromSeconds(30));

        var (_, table) = await server.GetAsync("/api/v1/namespaces/shop/pods", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        Assert.Equal("Table", (string?)table!["kind"]);
        var columns = table["columnDefinitions"]!.AsArray().Select(c => ((string?)c!["name"], (int)c["priority"]!)).ToList();
        Assert.Equal(("Name", 0), columns[0]);
        Assert.Contains(("Status", 0), columns);
        Assert.Contains(("Node", 1), columns);
        var rows = table["rows"]!.AsArray();
        Assert.Equal(2, rows.Count);
        var cells = rows[0]!["cells"]!.AsArray().Select(c => c?.ToString()).ToList();
        Assert.Equal("2/2", cells[1]);
        Assert.Equal("Running", cells[2]);
        Assert.StartsWith("general-", cells[columns.IndexOf(("Node", 1))], StringComparison.Ordinal);
        Assert.Equal("PartialObjectMetadata", (string?)rows[0]!["object"]!["kind"]);
    }

    [Fact]
    public async Task Get_returns_the_object_with_its_kind_and_version()
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, "/api/v1/namespaces/shop/configmaps", Objects.ConfigMap("a", "web", "42"));
        var (status, body) = await server.GetAsync("/api/v1/namespaces/shop/configmaps/a");
        Assert.Equal(200, status);
        Assert.Equal("ConfigMap", (string?)body!["kind"]);
        Assert.Equal("42", (string?)body["data"]!["value"]);
        Assert.False(string.IsNullOrEmpty((string?)body["metadata"]!["uid"]));
    }

    private static async Task<List<string?>> NamesAsync(TestServer server, string path)
    {
        var (status, body) = await server.GetAsync(path);
        Assert.Equal(200, status);
        return [.. body!["items"]!.AsArray().Select(i => (string?)i!["metadata"]!["name"])];
    }
}
