namespace Keelson.Sandbox.Server.Tests.Endpoints;

/// <summary>The <c>pods/eviction</c> subresource with JSON bodies, as <c>kubectl drain</c> uses it.</summary>
public sealed class EvictionTests
{
    private const string Pods = "/api/v1/namespaces/shop/pods";

    [Fact]
    public async Task A_budget_with_no_disruption_left_refuses_with_TooManyRequests_and_one_with_room_evicts()
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/shop/deployments", Objects.Deployment("web"));
        var pdb = """{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"web"},"spec":{"minAvailable":2,"selector":{"matchLabels":{"app":"web"}}}}""";
        await server.SendAsync(HttpMethod.Post, "/apis/policy/v1/namespaces/shop/poddisruptionbudgets", pdb);
        server.Server.Advance(TimeSpan.FromMinutes(1));
        var victim = await FirstPodAsync(server);

        var (status, body) = await EvictAsync(server, victim);
        Assert.Equal(429, status);
        Assert.Equal("TooManyRequests", (string?)body!["reason"]);
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", (string?)body["message"]);
        Assert.Equal("The disruption budget web needs 2 healthy pods and has 2 currently", (string?)body["details"]!["causes"]![0]!["message"]);
        Assert.Null((await server.GetAsync($"{Pods}/{victim}")).Body!["metadata"]!["deletionTimestamp"]);

        await server.SendAsync(HttpMethod.Patch, "/apis/policy/v1/namespaces/shop/poddisruptionbudgets/web", """{"spec":{"minAvailable":1}}""", "application/merge-patch+json");
        server.Server.Advance(TimeSpan.FromSeconds(1));
        (status, body) = await EvictAsync(server, victim);
        Assert.Equal(201, status);
        Assert.Equal("Success", (string?)body!["status"]);
        Assert.NotNull((await server.GetAsync($"{Pods}/{victim}")).Body!["metadata"]!["deletionTimestamp"]);
    }

    [Fact]
    public async Task A_dry_run_eviction_answers_success_and_leaves_the_pod()
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/shop/deployments", Objects.Deployment("web"));
        server.Server.Advance(TimeSpan.FromMinutes(1));
        var victim = await FirstPodAsync(server);
        var before = server.Server.Inspect(c => c.Engine.Store.ResourceVersion);

        var (status, _) = await EvictAsync(server, victim, ""","deleteOptions":{"dryRun":["All"]}""");
        Assert.Equal(201, status);
        Assert.Equal(before, server.Server.Inspect(c => c.Engine.Store.ResourceVersion));
    }

    [Fact]
    public async Task Evicting_a_missing_pod_is_NotFound_and_a_mismatched_name_BadRequest()
    {
        await using var server = await Objects.ShopAsync();
        Assert.Equal(404, (await EvictAsync(server, "ghost")).Status);
        await server.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/shop/deployments", Objects.Deployment("web"));
        server.Server.Advance(TimeSpan.FromMinutes(1));
        var victim = await FirstPodAsync(server);
        var (status, _) = await server.SendAsync(HttpMethod.Post, $"{Pods}/{victim}/eviction", """{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"other","namespace":"shop"}}""");
        Assert.Equal(400, status);
    }

    [Fact]
    public async Task Discovery_lists_the_eviction_subresource()
    {
        await using var server = await Objects.ShopAsync();
        var (_, list) = await server.GetAsync("/api/v1");
        var eviction = list!["resources"]!.AsArray().Single(r => (string?)r!["name"] == "pods/eviction")!;
        Assert.Equal(("policy", "v1", "Eviction"), ((string?)eviction["group"], (string?)eviction["version"], (string?)eviction["kind"]));
    }

    private static async Task<string> FirstPodAsync(TestServer server) =>
        (string)(await server.GetAsync(Pods)).Body!["items"]![0]!["metadata"]!["name"]!;

    private static Task<(int Status, System.Text.Json.Nodes.JsonNode? Body)> EvictAsync(TestServer server, string pod, string extra = "") =>
        server.SendAsync(HttpMethod.Post, $"{Pods}/{pod}/eviction", $$"""{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"{{pod}}","namespace":"shop"}{{extra}}}""");
}
