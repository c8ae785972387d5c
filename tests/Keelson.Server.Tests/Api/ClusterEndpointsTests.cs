using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Operations.Clusters;
using Keelson.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Keelson.Server.Tests.Api;

/// <summary>The server with an admin key and a key scoped to tenant <c>cv-mine</c>; keyless demo calls from loopback stay open (admin).</summary>
public sealed class ClusterApiFactory : ApiFactory
{
    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Keelson:AdminKeys:0", "cv-admin-key");
        builder.UseSetting("Keelson:TenantKeys:cv-mine-key", "cv-mine");
    }
}

/// <summary>
/// <c>/api/v1/clusters</c> against the embedded sandbox with two deployed tenants, compared with what the sandbox's own
/// Kubernetes API (the facade kubectl uses) says about the same nodes, pods and autoscalers.
/// </summary>
public sealed class ClusterEndpointsTests(ClusterApiFactory factory) : IClassFixture<ClusterApiFactory>, IAsyncLifetime
{
    private const string Mine = "cv-mine";
    private const string Other = "cv-other";
    private const string Stuck = "cv-too-big";

    public async Task InitializeAsync()
    {
        using var client = factory.CreateClient();
        foreach (var tenant in new[] { Mine, Other })
        {
            if ((await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, $"/api/v1/tenants/{tenant}", null, "true", null)).Status == HttpStatusCode.OK)
            {
                continue; // the fixture is shared by the class's tests
            }

            Assert.Equal(HttpStatusCode.Created, (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Post, "/api/v1/tenants/", DeploymentEndpointsTests.Request(tenant), "true", null)).Status);
            var accepted = (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Post, $"/api/v1/tenants/{tenant}/deploy", null, "true", null)).Body;
            Assert.Equal("succeeded", (await DeploymentClient.WaitFinishedAsync(client, accepted["deployment_id"]!.GetValue<string>()))["status"]!.GetValue<string>());
        }

        // A pod no node of the profile can hold: the sandbox's scheduler marks it PodScheduled=False with its reason.
        using var sandbox = Sandbox();
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = Stuck, ["namespace"] = Mine },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "main", ["image"] = "busybox:1.36",
                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "900", ["memory"] = "1Gi" } },
                }),
            },
        };
        var created = await sandbox.PostAsJsonAsync(new Uri($"api/v1/namespaces/{Mine}/pods", UriKind.Relative), pod);
        Assert.True(created.IsSuccessStatusCode || created.StatusCode == HttpStatusCode.Conflict, $"{created.StatusCode}");
        await WaitAsync(async () => (await PodAsync(sandbox, Mine, Stuck))?["status"]?["conditions"]?.AsArray().Any(c => c!["type"]!.GetValue<string>() == "PodScheduled") == true);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_admin_view_has_the_sandbox_s_nodes_pods_pending_reason_and_autoscalers()
    {
        using var client = factory.CreateClient();
        var list = await GetAsync(client, "/api/v1/clusters", "cv-admin-key");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal("demo", list.Body["mode"]!.GetValue<string>());
        var summary = Assert.Single(list.Body["clusters"]!.AsArray());
        Assert.Equal(("aws-gpu", "sandbox"), (summary!["name"]!.GetValue<string>(), summary["kind"]!.GetValue<string>()));
        Assert.Contains("sandbox", summary["description"]!.GetValue<string>(), StringComparison.Ordinal);

        var (status, view) = await GetAsync(client, "/api/v1/clusters/aws-gpu", "cv-admin-key");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("aws-gpu", "sandbox", "all", true), (view["name"]!.GetValue<string>(), view["kind"]!.GetValue<string>(), view["scope"]!.GetValue<string>(), view["metrics_available"]!.GetValue<bool>()));

        // The same nodes as the sandbox's API, each with its allocatable CPU and the requests of the pods bound to it.
        using var sandbox = Sandbox();
        var nodes = (await ItemsAsync(sandbox, "api/v1/nodes")).ToDictionary(n => n["metadata"]!["name"]!.GetValue<string>());
        var pods = (await ItemsAsync(sandbox, "api/v1/pods")).Where(p => p["status"]?["phase"]?.GetValue<string>() is not ("Succeeded" or "Failed")).ToList();
        var viewNodes = view["nodes"]!.AsArray().Select(n => n!).ToList();
        Assert.Equal(nodes.Keys.Order(StringComparer.Ordinal), viewNodes.Select(n => n["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        foreach (var node in viewNodes)
        {
            var name = node["name"]!.GetValue<string>();
            var expected = nodes[name];
            Assert.Equal(Milli(expected["status"]!["allocatable"]!["cpu"]!), node["allocatable"]!["milli_cpu"]!.GetValue<long>());
            Assert.Equal(expected["metadata"]!["labels"]!["keelson.dev/pool"]!.GetValue<string>(), node["pool"]!.GetValue<string>());
            Assert.Equal(expected["metadata"]!["labels"]!["topology.kubernetes.io/zone"]!.GetValue<string>(), node["zone"]!.GetValue<string>());
            var bound = pods.Where(p => p["spec"]?["nodeName"]?.GetValue<string>() == name).ToList();
            Assert.Equal(bound.Count, node["pod_count"]!.GetValue<int>());
            Assert.Equal(bound.Sum(p => p["spec"]!["containers"]!.AsArray().Sum(c => c!["resources"]?["requests"]?["cpu"] is { } cpu ? Milli(cpu) : 0)), node["requested"]!["milli_cpu"]!.GetValue<long>());
            Assert.NotNull(node["used"]);
        }

        Assert.True(view["totals"]!["used"]!["milli_cpu"]!.GetValue<long>() > 0, "the deployed pods use CPU");
        Assert.Equal(viewNodes.Count, view["groups"]!.AsArray().Sum(g => g!["nodes"]!.GetValue<int>()));

        // Both tenants' pods, each named with its tenant and node.
        var viewPods = view["pods"]!.AsArray().Select(p => p!).ToList();
        Assert.Equal(pods.Count(p => p["spec"]?["nodeName"] is not null), viewPods.Count);
        Assert.Contains(viewPods, p => p["tenant"]?.GetValue<string>() == Mine && p["namespace"]!.GetValue<string>() == Mine);
        Assert.Contains(viewPods, p => p["tenant"]?.GetValue<string>() == Other);

        // The pending pod with the scheduler's own reason and message.
        var stuck = Assert.Single(view["pending"]!.AsArray(), p => p!["name"]!.GetValue<string>() == Stuck)!;
        var condition = (await PodAsync(sandbox, Mine, Stuck))!["status"]!["conditions"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "PodScheduled")!;
        Assert.Equal("Unschedulable", stuck["reason"]!.GetValue<string>());
        Assert.Equal(condition["message"]!.GetValue<string>(), stuck["message"]!.GetValue<string>());
        Assert.Contains("Insufficient cpu", stuck["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(900_000, stuck["requested"]!["milli_cpu"]!.GetValue<long>());

        // Every autoscaler of the sandbox with its replicas as the sandbox reports them.
        var hpas = await ItemsAsync(sandbox, "apis/autoscaling/v2/horizontalpodautoscalers");
        var viewHpas = view["autoscalers"]!.AsArray().Select(h => h!).ToList();
        Assert.Equal(hpas.Count, viewHpas.Count);
        foreach (var hpa in hpas)
        {
            var found = viewHpas.Single(h => h["namespace"]!.GetValue<string>() == hpa["metadata"]!["namespace"]!.GetValue<string>() && h["name"]!.GetValue<string>() == hpa["metadata"]!["name"]!.GetValue<string>());
            Assert.Equal(hpa["status"]?["currentReplicas"]?.GetValue<int>() ?? 0, found["current_replicas"]!.GetValue<int>());
            Assert.Equal(hpa["spec"]!["maxReplicas"]!.GetValue<int>(), found["max_replicas"]!.GetValue<int>());
            Assert.Equal(hpa["spec"]!["metrics"]!.AsArray().Count, found["metrics"]!.AsArray().Count);
        }

        // The autoscaler's events are the sandbox's TriggeredScaleUp/ScaleDown events, newest first.
        var scaling = (await ItemsAsync(sandbox, "api/v1/events")).Count(e => e["reason"]!.GetValue<string>() is "TriggeredScaleUp" or "ScaleDown");
        var events = view["autoscaler_events"]!.AsArray().Select(e => e!).ToList();
        Assert.Equal(Math.Min(scaling, 50), events.Count);
        Assert.All(events, e => Assert.StartsWith("Node/", e["involved_object"]!.GetValue<string>(), StringComparison.Ordinal));
        var times = events.Select(e => e["time"]!.GetValue<DateTimeOffset>()).ToList();
        Assert.Equal(times.OrderDescending(), times);
    }

    [Fact]
    public async Task A_tenant_key_sees_every_node_but_only_its_own_pods_pending_pods_and_autoscalers()
    {
        using var client = factory.CreateClient();
        var admin = (await GetAsync(client, "/api/v1/clusters/aws-gpu", "cv-admin-key")).Body;
        var (status, view) = await GetAsync(client, "/api/v1/clusters/aws-gpu", "cv-mine-key");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("tenant", view["scope"]!.GetValue<string>());

        // Node figures stay whole: the capacity left is what explains a pending pod.
        Assert.Equal(
            admin["nodes"]!.AsArray().Select(n => (n!["name"]!.GetValue<string>(), n["pod_count"]!.GetValue<int>())),
            view["nodes"]!.AsArray().Select(n => (n!["name"]!.GetValue<string>(), n["pod_count"]!.GetValue<int>())));
        Assert.NotEmpty(view["pods"]!.AsArray());
        Assert.All(view["pods"]!.AsArray(), p => Assert.Equal(Mine, p!["namespace"]!.GetValue<string>()));
        Assert.Equal(admin["pods"]!.AsArray().Count(p => p!["namespace"]!.GetValue<string>() == Mine), view["pods"]!.AsArray().Count);
        Assert.Contains(view["pending"]!.AsArray(), p => p!["name"]!.GetValue<string>() == Stuck);
        Assert.All(view["autoscalers"]!.AsArray(), h => Assert.Equal(Mine, h!["namespace"]!.GetValue<string>()));
        Assert.DoesNotContain(Other, view.ToJsonString(), StringComparison.Ordinal);

        // The list hides where a configured cluster is from a tenant key; asking for another tenant is refused.
        Assert.Null((await GetAsync(client, "/api/v1/clusters", "cv-mine-key")).Body["clusters"]![0]!["description"]);
        var refused = await GetAsync(client, $"/api/v1/clusters/aws-gpu?tenant={Other}", "cv-mine-key");
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);

        // An admin narrows to one tenant with ?tenant=: the same pods the tenant's key sees.
        var narrowed = (await GetAsync(client, $"/api/v1/clusters/aws-gpu?tenant={Mine}", "cv-admin-key")).Body;
        Assert.Equal(view["pods"]!.ToJsonString(), narrowed["pods"]!.ToJsonString());
    }

    [Fact]
    public async Task A_second_read_lists_nothing_again_and_a_pod_created_in_the_sandbox_is_in_the_next_reads()
    {
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/v1/clusters/aws-gpu", "cv-admin-key")).Status);
        var driven = (await factory.Services.GetRequiredService<DeploymentClusters>().DrivenAsync(demo: true, CancellationToken.None)).Single(c => c.Name == "aws-gpu");
        var watch = factory.Services.GetRequiredService<ClusterViewCache>().WatchOf(driven.Cluster);
        Assert.NotNull(watch);
        var lists = (watch.Nodes.Lists, watch.Pods.Lists, watch.Events.Lists);

        // The sandbox's API is asked nothing: the informers' list counts stay where the first read left them.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/v1/clusters/aws-gpu", "cv-admin-key")).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/api/v1/clusters/aws-gpu/pods?limit=5", "cv-mine-key")).Status);
        Assert.Equal(lists, (watch.Nodes.Lists, watch.Pods.Lists, watch.Events.Lists));

        // A pod created through the sandbox's Kubernetes API (as kubectl would) comes by watch and is in the next read.
        const string Watched = "cv-watched";
        using var sandbox = Sandbox();
        var pod = new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = Watched, ["namespace"] = Mine },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = "main", ["image"] = "busybox:1.36",
                    ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "10m", ["memory"] = "16Mi" } },
                }),
            },
        };
        using (var created = await sandbox.PostAsJsonAsync(new Uri($"api/v1/namespaces/{Mine}/pods", UriKind.Relative), pod))
        {
            Assert.True(created.IsSuccessStatusCode, $"{created.StatusCode}");
        }

        JsonNode? found = null;
        await WaitAsync(async () => (found = (await GetAsync(client, $"/api/v1/clusters/aws-gpu/pods?search={Watched}", "cv-mine-key")).Body["pods"]!.AsArray().SingleOrDefault()) is not null);
        var bound = (await PodAsync(sandbox, Mine, Watched))!["spec"]!["nodeName"]!.GetValue<string>();
        Assert.Equal((Mine, Mine, bound), (found!["namespace"]!.GetValue<string>(), found["tenant"]!.GetValue<string>(), found["node"]!.GetValue<string>()));

        // Deleted there, gone here; and all of it without listing again.
        using (var deleted = await sandbox.DeleteAsync(new Uri($"api/v1/namespaces/{Mine}/pods/{Watched}?gracePeriodSeconds=0", UriKind.Relative)))
        {
            Assert.True(deleted.IsSuccessStatusCode, $"{deleted.StatusCode}");
        }

        await WaitAsync(async () => await PodAsync(sandbox, Mine, Watched) is null
            && !(await GetAsync(client, "/api/v1/clusters/aws-gpu", "cv-admin-key")).Body["pods"]!.AsArray().Any(p => p!["name"]!.GetValue<string>() == Watched));
        Assert.Equal(lists, (watch.Nodes.Lists, watch.Pods.Lists, watch.Events.Lists));
    }

    [Fact]
    public async Task Pages_of_pods_follow_the_view_s_order_and_a_tenant_key_pages_only_its_namespace_s()
    {
        using var client = factory.CreateClient();
        var view = (await GetAsync(client, "/api/v1/clusters/aws-gpu", "cv-admin-key")).Body;
        var pods = view["pods"]!.AsArray().Select(p => p!).ToList();
        Assert.Contains(pods, p => p["namespace"]!.GetValue<string>() == Other);

        // ?include_pods=false: the same view but its pods, which the pages give three at a time in the view's order.
        var slim = (await GetAsync(client, "/api/v1/clusters/aws-gpu?include_pods=false", "cv-admin-key")).Body;
        Assert.Empty(slim["pods"]!.AsArray());
        Assert.Equal(view["nodes"]!.ToJsonString(), slim["nodes"]!.ToJsonString());
        var paged = new List<string>();
        for (var offset = 0; offset < pods.Count; offset += 3)
        {
            var page = (await GetAsync(client, $"/api/v1/clusters/aws-gpu/pods?offset={offset}&limit=3", "cv-admin-key")).Body;
            Assert.Equal((pods.Count, pods.Count, offset, 3), (page["total_count"]!.GetValue<int>(), page["visible_count"]!.GetValue<int>(), page["offset"]!.GetValue<int>(), page["limit"]!.GetValue<int>()));
            paged.AddRange(page["pods"]!.AsArray().Select(p => $"{p!["namespace"]}/{p["name"]}"));
        }

        Assert.Equal(pods.Select(p => $"{p["namespace"]}/{p["name"]}"), paged);
        Assert.Empty((await GetAsync(client, $"/api/v1/clusters/aws-gpu/pods?offset={pods.Count}", "cv-admin-key")).Body["pods"]!.AsArray());

        // Filters: a node's pods, a phase's.
        var node = pods[0]["node"]!.GetValue<string>();
        var onNode = (await GetAsync(client, $"/api/v1/clusters/aws-gpu/pods?node={node}&limit=1000", "cv-admin-key")).Body;
        Assert.Equal(pods.Count(p => p["node"]!.GetValue<string>() == node), onNode["total_count"]!.GetValue<int>());
        Assert.All(onNode["pods"]!.AsArray(), p => Assert.Equal(node, p!["node"]!.GetValue<string>()));
        var running = (await GetAsync(client, "/api/v1/clusters/aws-gpu/pods?phase=Running&limit=1000", "cv-admin-key")).Body;
        Assert.Equal(pods.Count(p => p["phase"]!.GetValue<string>() == "Running"), running["total_count"]!.GetValue<int>());

        // A tenant key pages its namespace's pods only: the other tenant's are not there even when asked for by name.
        var mine = (await GetAsync(client, "/api/v1/clusters/aws-gpu/pods?limit=1000", "cv-mine-key")).Body;
        var expected = pods.Count(p => p["namespace"]!.GetValue<string>() == Mine);
        Assert.Equal((expected, expected), (mine["total_count"]!.GetValue<int>(), mine["visible_count"]!.GetValue<int>()));
        Assert.All(mine["pods"]!.AsArray(), p => Assert.Equal((Mine, Mine), (p!["namespace"]!.GetValue<string>(), p["tenant"]!.GetValue<string>())));
        var asked = (await GetAsync(client, $"/api/v1/clusters/aws-gpu/pods?namespace={Other}", "cv-mine-key")).Body;
        Assert.Equal((0, expected), (asked["total_count"]!.GetValue<int>(), asked["visible_count"]!.GetValue<int>()));
        Assert.Equal(0, (await GetAsync(client, $"/api/v1/clusters/aws-gpu/pods?search={Other}", "cv-mine-key")).Body["total_count"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(client, $"/api/v1/clusters/aws-gpu/pods?tenant={Other}", "cv-mine-key")).Status);

        // An admin's ?tenant= gives the same page the tenant's key does.
        Assert.Equal(mine["pods"]!.ToJsonString(), (await GetAsync(client, $"/api/v1/clusters/aws-gpu/pods?limit=1000&tenant={Mine}", "cv-admin-key")).Body["pods"]!.ToJsonString());
    }

    [Theory]
    [InlineData("/api/v1/clusters/aws-gpu?events=ten", "true", HttpStatusCode.BadRequest, "events must be a whole number from 0 to 500")]
    [InlineData("/api/v1/clusters/aws-gpu?events=501", "true", HttpStatusCode.BadRequest, "got '501'")]
    [InlineData("/api/v1/clusters/aws-gpu?events=-1", "true", HttpStatusCode.BadRequest, "got '-1'")]
    [InlineData("/api/v1/clusters/nowhere", "true", HttpStatusCode.NotFound, "The demo clusters are: aws-gpu")]
    [InlineData("/api/v1/clusters/aws-gpu?tenant=nobody", "true", HttpStatusCode.NotFound, "No tenant has this id")]
    [InlineData("/api/v1/clusters/production", "false", HttpStatusCode.NotFound, "no production cluster is configured")]
    [InlineData("/api/v1/clusters/aws-gpu?include_pods=no", "true", HttpStatusCode.BadRequest, "include_pods must be true")]
    [InlineData("/api/v1/clusters/aws-gpu/pods?offset=-1", "true", HttpStatusCode.BadRequest, "offset must be a whole number from 0")]
    [InlineData("/api/v1/clusters/aws-gpu/pods?limit=0", "true", HttpStatusCode.BadRequest, "limit must be a whole number from 1 to 1000")]
    [InlineData("/api/v1/clusters/aws-gpu/pods?limit=1001", "true", HttpStatusCode.BadRequest, "got '1001'")]
    [InlineData("/api/v1/clusters/aws-gpu/pods?phase=Succeeded", "true", HttpStatusCode.BadRequest, "phase must be one of Pending, Running, Unknown")]
    [InlineData("/api/v1/clusters/nowhere/pods", "true", HttpStatusCode.NotFound, "The demo clusters are: aws-gpu")]
    public async Task Bad_requests_get_a_problem_that_says_what_is_allowed(string path, string demo, HttpStatusCode expected, string detail)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Demo-Mode", demo);
        request.Headers.Add("X-API-Key", "cv-admin-key");
        using var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains(detail, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_without_a_cluster_lists_none_and_a_key_is_required()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/clusters");
        request.Headers.Add("X-Demo-Mode", "false");
        using var keyless = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, keyless.StatusCode);
        var list = await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, "/api/v1/clusters", null, "false", "cv-admin-key");
        Assert.Equal(("production", 0), (list.Body["mode"]!.GetValue<string>(), list.Body["clusters"]!.AsArray().Count));
    }

    [Fact]
    public async Task The_version_is_what_kubectl_version_reports_as_the_server_s_and_any_key_of_the_mode_reads_it()
    {
        using var client = factory.CreateClient();
        var kubeconfig = Path.Combine(factory.DataDirectory, "sandbox", "aws-gpu.kubeconfig");
        var kubectl = JsonNode.Parse(await ExternalProcess.RunAsync("kubectl", ["--kubeconfig", kubeconfig, "version", "-o", "json"], TimeSpan.FromSeconds(30)))!;
        var expected = kubectl["serverVersion"]!["gitVersion"]!.GetValue<string>();

        foreach (var key in new[] { "cv-admin-key", "cv-mine-key" })
        {
            var (status, body) = await GetAsync(client, "/api/v1/clusters/aws-gpu/version", key);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(("aws-gpu", expected), (body["name"]!.GetValue<string>(), body["git_version"]!.GetValue<string>()));
        }

        var missing = await GetAsync(client, "/api/v1/clusters/nowhere/version", "cv-admin-key");
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Contains("aws-gpu", missing.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(HttpClient client, string path, string key)
    {
        var (status, body, _) = await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, path, null, "true", key);
        return (status, body);
    }

    private static long Milli(JsonNode quantity) => (long)Math.Ceiling(new ResourceQuantity(quantity.GetValue<string>()).ToDecimal() * 1000m);

    private HttpClient Sandbox()
    {
        var kubeconfig = File.ReadAllText(Path.Combine(factory.DataDirectory, "sandbox", "aws-gpu.kubeconfig"));
        var server = kubeconfig.Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("server:", StringComparison.Ordinal))["server:".Length..].Trim();
        return new HttpClient { BaseAddress = new Uri(server.EndsWith('/') ? server : server + "/") };
    }

    private static async Task<List<JsonNode>> ItemsAsync(HttpClient sandbox, string path) =>
        [.. JsonNode.Parse(await sandbox.GetStringAsync(new Uri(path, UriKind.Relative)))!["items"]!.AsArray().Select(i => i!)];

    private static async Task<JsonNode?> PodAsync(HttpClient sandbox, string ns, string name)
    {
        using var response = await sandbox.GetAsync(new Uri($"api/v1/namespaces/{ns}/pods/{name}", UriKind.Relative));
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the sandbox");
            await Task.Delay(100);
        }
    }
}

/// <summary>The production cluster from a kubeconfig (a sandbox behind its API facade standing in for a real one), read the same way.</summary>
public sealed class ClusterEndpointsProductionTests(Hosting.ProductionClusterFactory production) : IClassFixture<Hosting.ProductionClusterFactory>
{
    [Fact]
    public async Task The_configured_production_cluster_is_listed_and_read_through_its_kubeconfig()
    {
        using var client = production.CreateClient();
        var list = (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, "/api/v1/clusters", null, "false", "admin-key-1")).Body;
        var only = Assert.Single(list["clusters"]!.AsArray())!;
        Assert.Equal(("production", "kubernetes"), (only["name"]!.GetValue<string>(), only["kind"]!.GetValue<string>()));
        Assert.Contains("context keelson-sandbox at", only["description"]!.GetValue<string>(), StringComparison.Ordinal);

        var (status, view, _) = await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, "/api/v1/clusters/production", null, "false", "admin-key-1");
        Assert.Equal(HttpStatusCode.OK, status);
        var nodes = production.Facade.Inspect(c => c.Engine.Store.List<V1Node>().Select(n => n.Metadata.Name).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(nodes, view["nodes"]!.AsArray().Select(n => n!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.True(view["metrics_available"]!.GetValue<bool>(), "the facade serves metrics.k8s.io");
        Assert.Equal("kubernetes", view["kind"]!.GetValue<string>());

        // Demo has not started a sandbox here: none listed, and asking for one says why.
        Assert.Empty((await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, "/api/v1/clusters", null, "true", "admin-key-1")).Body["clusters"]!.AsArray());
        var missing = await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, "/api/v1/clusters/aws-gpu", null, "true", "admin-key-1");
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Contains("started by a tenant's first deployment", missing.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

/// <summary>A configured cluster that does not answer.</summary>
public sealed class ClusterEndpointsUnreachableTests(Hosting.UnreachableClusterFactory factory) : IClassFixture<Hosting.UnreachableClusterFactory>
{
    [Fact]
    public async Task A_cluster_that_does_not_answer_is_a_502_naming_it_but_not_its_address()
    {
        using var client = factory.CreateClient();
        var list = (await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, "/api/v1/clusters", null, "true", null)).Body;
        Assert.Equal("demo", Assert.Single(list["clusters"]!.AsArray())!["name"]!.GetValue<string>());

        var (status, problem, _) = await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, "/api/v1/clusters/demo", null, "true", null);
        Assert.Equal(HttpStatusCode.BadGateway, status);
        var detail = problem["detail"]!.GetValue<string>();
        Assert.Contains("Cluster 'demo' did not answer", problem["title"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("/health/ready", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1", detail, StringComparison.Ordinal);

        var version = await DeploymentEndpointsTests.SendWith(client, HttpMethod.Get, "/api/v1/clusters/demo/version", null, "true", null);
        Assert.Equal(HttpStatusCode.BadGateway, version.Status);
        Assert.Contains("GET /version", version.Body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
