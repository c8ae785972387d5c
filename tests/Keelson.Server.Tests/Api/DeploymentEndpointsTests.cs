using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Delivery.Kubernetes;

namespace Keelson.Server.Tests.Api;

public sealed class DeploymentEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly string[] StepNames = ["validate", "plan", "namespace", "config", "storage", "workloads", "services", "ingress", "monitoring", "verify"];

    internal static JsonObject Request(string id, int chatbot = 20) => new()
    {
        ["tenant_id"] = id,
        ["name"] = "Deploy test",
        ["service_requirements"] = new JsonObject { ["chatbot"] = chatbot, ["stt"] = 10 },
    };

    [Fact]
    public async Task A_deployment_is_accepted_runs_every_step_to_the_sandbox_and_is_pollable_and_listed()
    {
        await CreateAsync("dep-one");

        var (status, accepted, location) = await Send(HttpMethod.Post, "/api/v1/tenants/dep-one/deploy");

        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = accepted["deployment_id"]!.GetValue<string>();
        Assert.Equal($"/api/v1/deployments/{id}", location);
        Assert.Equal((1, "pending", false), (accepted["revision"]!.GetValue<int>(), accepted["status"]!.GetValue<string>(), accepted["finished"]!.GetValue<bool>()));
        Assert.Equal($"/ws/deployments/{id}", accepted["links"]!["stream"]!.GetValue<string>());

        var done = await WaitFinishedAsync(id);
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        Assert.Equal(StepNames, done["steps"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()));
        Assert.All(done["steps"]!.AsArray(), s => Assert.Equal(("succeeded", 1), (s!["status"]!.GetValue<string>(), s["attempts"]!.GetValue<int>())));
        Assert.Matches(@"^\d+ objects ready; revision 1 recorded, 0 pruned$", done["steps"]![9]!["message"]!.GetValue<string>());
        Assert.NotNull(done["runner"]!.GetValue<string>());

        Assert.Equal("running", (await Send(HttpMethod.Get, "/api/v1/tenants/dep-one")).Body["status"]!.GetValue<string>());
        var (_, list, _) = await Send(HttpMethod.Get, "/api/v1/tenants/dep-one/deployments");
        Assert.Equal(id, Assert.Single(list["deployments"]!.AsArray())!["deployment_id"]!.GetValue<string>());

        // The demo cluster is a real Kubernetes API: the stack is there for kubectl or any client.
        using var cluster = KubernetesCluster.Connect(Path.Combine(factory.DataDirectory, "sandbox", "aws-gpu.kubeconfig"), null);
        var chatbot = (V1Deployment?)await cluster.GetAsync(new ObjectKey("apps/v1", "Deployment", "dep-one", "chatbot"), CancellationToken.None);
        Assert.Equal(chatbot!.Spec.Replicas, chatbot.Status.ReadyReplicas);

        using var client = factory.CreateClient();
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Matches(@"keelson_deployments\{mode=""demo"",state=""succeeded""\} [1-9]", metrics);
        Assert.Matches(@"keelson_tenants_active\{mode=""demo""\} [1-9]", metrics);
    }

    [Fact]
    public async Task The_websocket_streams_snapshots_and_progress_lines_and_closes_when_the_deployment_ends()
    {
        await CreateAsync("dep-stream");
        var id = (await Send(HttpMethod.Post, "/api/v1/tenants/dep-stream/deploy")).Body["deployment_id"]!.GetValue<string>();
        var ws = factory.Server.CreateWebSocketClient();
        ws.ConfigureRequest = request => request.Headers["X-Demo-Mode"] = "true";

        using var socket = await ws.ConnectAsync(new Uri(factory.Server.BaseAddress, $"ws/deployments/{id}"), CancellationToken.None);
        var messages = new List<JsonObject>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await DeploymentClient.ReceiveAsync(socket, timeout.Token) is { } message)
        {
            messages.Add(message);
        }

        Assert.Equal((WebSocketCloseStatus.NormalClosure, "succeeded"), (socket.CloseStatus, socket.CloseStatusDescription));
        Assert.Equal("deployment", messages[0]["type"]!.GetValue<string>());
        var last = messages.Last(m => m["type"]!.GetValue<string>() == "deployment");
        Assert.Equal("succeeded", last["deployment"]!["status"]!.GetValue<string>());
        var lines = messages.Where(m => m["type"]!.GetValue<string>() == "event").ToList();
        Assert.Contains(lines, l => l["step"]!.GetValue<string>() == "workloads" && l["object"]?.GetValue<string>() == "Deployment/dep-stream/chatbot" && l["message"]!.GetValue<string>() == "applied");
        Assert.Contains(lines, l => l["step"]!.GetValue<string>() == "verify" && l["message"]!.GetValue<string>().StartsWith("revision 1 recorded", StringComparison.Ordinal));

        // A finished deployment answers with its final snapshot and closes at once.
        using var again = await ws.ConnectAsync(new Uri(factory.Server.BaseAddress, $"ws/deployments/{id}"), CancellationToken.None);
        var only = await DeploymentClient.ReceiveAsync(again, timeout.Token);
        Assert.Equal("succeeded", only!["deployment"]!["status"]!.GetValue<string>());
        Assert.Null(await DeploymentClient.ReceiveAsync(again, timeout.Token));
    }

    [Fact]
    public async Task Rollback_deploys_the_previous_request_again_and_marks_the_undone_deployment()
    {
        await CreateAsync("dep-back", chatbot: 20);
        var first = (await Send(HttpMethod.Post, "/api/v1/tenants/dep-back/deploy")).Body["deployment_id"]!.GetValue<string>();
        await WaitFinishedAsync(first);
        var (nothing, firstProblem, _) = await Send(HttpMethod.Post, $"/api/v1/deployments/{first}/rollback");
        Assert.Equal((HttpStatusCode.Conflict, "Nothing to roll back to"), (nothing, firstProblem["title"]!.GetValue<string>()));
        var replicasBefore = await ChatbotReplicasAsync("dep-back");

        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Put, "/api/v1/tenants/dep-back", Request("dep-back", chatbot: 400))).Status);
        var second = (await Send(HttpMethod.Post, "/api/v1/tenants/dep-back/deploy")).Body["deployment_id"]!.GetValue<string>();
        Assert.Equal("succeeded", (await WaitFinishedAsync(second))["status"]!.GetValue<string>());
        Assert.True(await ChatbotReplicasAsync("dep-back") > replicasBefore);

        var (replaced, replacedProblem, _) = await Send(HttpMethod.Post, $"/api/v1/deployments/{first}/rollback");
        Assert.Equal((HttpStatusCode.Conflict, "A later deployment replaced this one"), (replaced, replacedProblem["title"]!.GetValue<string>()));

        var (status, rollback, _) = await Send(HttpMethod.Post, $"/api/v1/deployments/{second}/rollback");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal((second, 3), (rollback["rollback_of"]!.GetValue<string>(), rollback["revision"]!.GetValue<int>()));
        Assert.Equal("succeeded", (await WaitFinishedAsync(rollback["deployment_id"]!.GetValue<string>()))["status"]!.GetValue<string>());
        Assert.Equal("rolled_back", (await Send(HttpMethod.Get, $"/api/v1/deployments/{second}")).Body["status"]!.GetValue<string>());
        Assert.Equal(replicasBefore, await ChatbotReplicasAsync("dep-back"));
    }

    [Fact]
    public async Task A_revision_s_diff_shows_what_it_changed_against_the_one_before_or_any_revision_of_the_tenant()
    {
        await CreateAsync("dep-diff", chatbot: 20);
        var first = (await Send(HttpMethod.Post, "/api/v1/tenants/dep-diff/deploy")).Body["deployment_id"]!.GetValue<string>();
        await WaitFinishedAsync(first);

        // The first revision has nothing before it: every object it delivered is added, its whole YAML as + lines.
        var (status, initial, _) = await Send(HttpMethod.Get, $"/api/v1/deployments/{first}/diff");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Null(initial["against"]);
        var objects = initial["objects"]!.AsArray();
        Assert.Equal((objects.Count, 0, 0, 0), (initial["summary"]!["added"]!.GetValue<int>(), initial["summary"]!["removed"]!.GetValue<int>(),
            initial["summary"]!["changed"]!.GetValue<int>(), initial["summary"]!["unchanged"]!.GetValue<int>()));
        Assert.All(objects, o => Assert.Equal("added", o!["change"]!.GetValue<string>()));
        var chatbot = objects.Single(o => o!["kind"]!.GetValue<string>() == "Deployment" && o["name"]!.GetValue<string>() == "chatbot")!;
        Assert.Equal(("apps/v1", "dep-diff"), (chatbot["api_version"]!.GetValue<string>(), chatbot["namespace"]!.GetValue<string>()));
        Assert.All(chatbot["diff"]!.GetValue<string>().TrimEnd('\n').Split('\n'), line => Assert.StartsWith("+ ", line, StringComparison.Ordinal));

        // Twenty times the chatbot channels: revision 2 against revision 1 changes the chatbot's replicas and leaves other objects alone.
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Put, "/api/v1/tenants/dep-diff", Request("dep-diff", chatbot: 400))).Status);
        var second = (await Send(HttpMethod.Post, "/api/v1/tenants/dep-diff/deploy")).Body["deployment_id"]!.GetValue<string>();
        var (_, changed, _) = await Send(HttpMethod.Get, $"/api/v1/deployments/{second}/diff");
        Assert.Equal((first, 1, "deploy"), (changed["against"]!["deployment_id"]!.GetValue<string>(), changed["against"]!["revision"]!.GetValue<int>(), changed["against"]!["action"]!.GetValue<string>()));
        var summary = changed["summary"]!;
        Assert.True(summary["changed"]!.GetValue<int>() >= 1 && summary["unchanged"]!.GetValue<int>() >= 1, summary.ToJsonString());
        Assert.Equal(objects.Count, summary["changed"]!.GetValue<int>() + summary["unchanged"]!.GetValue<int>() + summary["removed"]!.GetValue<int>());
        Assert.Equal(summary["added"]!.GetValue<int>() + summary["removed"]!.GetValue<int>() + summary["changed"]!.GetValue<int>(), changed["objects"]!.AsArray().Count);
        var patch = changed["objects"]!.AsArray().Single(o => o!["kind"]!.GetValue<string>() == "Deployment" && o["name"]!.GetValue<string>() == "chatbot")!["diff"]!.GetValue<string>();
        var removedReplicas = Regex.Match(patch, @"^- +replicas: (\d+)$", RegexOptions.Multiline);
        var addedReplicas = Regex.Match(patch, @"^\+ +replicas: (\d+)$", RegexOptions.Multiline);
        Assert.True(removedReplicas.Success && addedReplicas.Success, patch);
        Assert.True(int.Parse(addedReplicas.Groups[1].Value, CultureInfo.InvariantCulture) > int.Parse(removedReplicas.Groups[1].Value, CultureInfo.InvariantCulture), patch);

        // Any revision of the tenant can be the baseline: revision 1 against 2 is the same change the other way round.
        var (_, reverse, _) = await Send(HttpMethod.Get, $"/api/v1/deployments/{first}/diff?against={second}");
        var reversePatch = reverse["objects"]!.AsArray().Single(o => o!["kind"]!.GetValue<string>() == "Deployment" && o["name"]!.GetValue<string>() == "chatbot")!["diff"]!.GetValue<string>();
        Assert.Equal((addedReplicas.Groups[1].Value, removedReplicas.Groups[1].Value),
            (Regex.Match(reversePatch, @"^- +replicas: (\d+)$", RegexOptions.Multiline).Groups[1].Value, Regex.Match(reversePatch, @"^\+ +replicas: (\d+)$", RegexOptions.Multiline).Groups[1].Value));
        Assert.Equal(summary["changed"]!.GetValue<int>(), reverse["summary"]!["changed"]!.GetValue<int>());

        // Another tenant's deployment is no baseline; an unknown one is 404.
        await CreateAsync("dep-diff-other");
        var other = (await Send(HttpMethod.Post, "/api/v1/tenants/dep-diff-other/deploy")).Body["deployment_id"]!.GetValue<string>();
        var (crossStatus, cross, _) = await Send(HttpMethod.Get, $"/api/v1/deployments/{second}/diff?against={other}");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, crossStatus);
        Assert.Contains("against: deployment " + other + " is of tenant 'dep-diff-other'", cross["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/v1/deployments/{second}/diff?against=no-such-deployment")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, "/api/v1/deployments/no-such-deployment/diff")).Status);
        await WaitFinishedAsync(second);
        await WaitFinishedAsync(other);
    }

    [Fact]
    public async Task Deleting_a_deployed_tenant_waits_for_its_deployment_then_removes_its_objects_from_the_cluster()
    {
        await CreateAsync("dep-del");
        var id = (await Send(HttpMethod.Post, "/api/v1/tenants/dep-del/deploy")).Body["deployment_id"]!.GetValue<string>();

        var (busy, problem, _) = await Send(HttpMethod.Delete, "/api/v1/tenants/dep-del");
        Assert.Equal((HttpStatusCode.Conflict, "Tenant 'dep-del' is being deployed"), (busy, problem["title"]!.GetValue<string>()));

        await WaitFinishedAsync(id);
        Assert.NotNull(await ChatbotReplicasAsync("dep-del"));
        Assert.Equal(HttpStatusCode.NoContent, (await Send(HttpMethod.Delete, "/api/v1/tenants/dep-del")).Status);

        Assert.Null(await ChatbotReplicasAsync("dep-del"));
        using var cluster = KubernetesCluster.Connect(Path.Combine(factory.DataDirectory, "sandbox", "aws-gpu.kubeconfig"), null);
        Assert.Null(await cluster.GetAsync(new ObjectKey("v1", "Namespace", null, "dep-del"), CancellationToken.None));
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, $"/api/v1/deployments/{id}")).Status);
    }

    [Fact]
    public async Task Unknown_ids_a_missing_header_and_plain_http_on_the_stream_are_clear_problems()
    {
        await CreateAsync("dep-errors");
        var (unknownTenant, tenantProblem, _) = await Send(HttpMethod.Post, "/api/v1/tenants/nobody/deploy");
        Assert.Equal((HttpStatusCode.NotFound, "Tenant 'nobody' not found"), (unknownTenant, tenantProblem["title"]!.GetValue<string>()));
        var (unknownDeployment, deploymentProblem, _) = await Send(HttpMethod.Get, "/api/v1/deployments/00000000-0000-0000-0000-000000000000");
        Assert.Equal(HttpStatusCode.NotFound, unknownDeployment);
        Assert.Equal("Deployment '00000000-0000-0000-0000-000000000000' not found", deploymentProblem["title"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await Send(HttpMethod.Get, "/api/v1/tenants/nobody/deployments")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Post, "/api/v1/tenants/dep-errors/deploy", demo: "yes")).Status);

        using var client = factory.CreateClient();
        using var plain = new HttpRequestMessage(HttpMethod.Get, "/ws/deployments/anything");
        plain.Headers.Add("X-Demo-Mode", "true");
        using var response = await client.SendAsync(plain);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("A WebSocket upgrade is required", (await response.Content.ReadFromJsonAsync<JsonObject>())!["title"]!.GetValue<string>());
        using var headerless = await client.GetAsync(new Uri("/ws/deployments/anything", UriKind.Relative));
        Assert.Equal((HttpStatusCode.BadRequest, "demo"), (headerless.StatusCode, Assert.Single(headerless.Headers.GetValues("X-Keelson-Mode"))));
        Assert.Equal("A WebSocket upgrade is required", (await headerless.Content.ReadFromJsonAsync<JsonObject>())!["title"]!.GetValue<string>());
    }

    private async Task CreateAsync(string id, int chatbot = 20) =>
        Assert.Equal(HttpStatusCode.Created, (await Send(HttpMethod.Post, "/api/v1/tenants/", Request(id, chatbot))).Status);

    private async Task<JsonObject> WaitFinishedAsync(string deploymentId)
    {
        using var client = factory.CreateClient();
        return await DeploymentClient.WaitFinishedAsync(client, deploymentId);
    }

    private async Task<int?> ChatbotReplicasAsync(string ns)
    {
        using var cluster = KubernetesCluster.Connect(Path.Combine(factory.DataDirectory, "sandbox", "aws-gpu.kubeconfig"), null);
        return ((V1Deployment?)await cluster.GetAsync(new ObjectKey("apps/v1", "Deployment", ns, "chatbot"), CancellationToken.None))?.Spec.Replicas;
    }

    private async Task<(HttpStatusCode Status, JsonNode Body, string? Location)> Send(HttpMethod method, string path, JsonObject? body = null, string? demo = "true")
    {
        using var client = factory.CreateClient();
        return await SendWith(client, method, path, body, demo, null);
    }

    internal static async Task<(HttpStatusCode Status, JsonNode Body, string? Location)> SendWith(HttpClient client, HttpMethod method, string path, JsonObject? body, string? demo, string? key)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (demo is not null)
        {
            request.Headers.Add("X-Demo-Mode", demo);
        }

        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!, response.Headers.Location?.ToString());
    }
}

/// <summary>Keys and production on a server of their own (a second app on one data directory would start a second embedded sandbox).</summary>
public sealed class DeploymentAccessTests(KeyedApiFactory factory) : IClassFixture<KeyedApiFactory>
{
    private static JsonObject Request(string id) => DeploymentEndpointsTests.Request(id);

    private static Task<(HttpStatusCode Status, JsonNode Body, string? Location)> SendWith(HttpClient client, HttpMethod method, string path, JsonObject? body, string? demo, string? key) =>
        DeploymentEndpointsTests.SendWith(client, method, path, body, demo, key);

    [Fact]
    public async Task A_tenant_key_sees_only_its_own_tenant_s_deployments()
    {
        using var keyed = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await SendWith(keyed, HttpMethod.Post, "/api/v1/tenants/", Request("dep-mine"), "true", "admin-key-1")).Status);
        Assert.Equal(HttpStatusCode.Created, (await SendWith(keyed, HttpMethod.Post, "/api/v1/tenants/", Request("dep-other"), "true", "admin-key-1")).Status);
        var other = (await SendWith(keyed, HttpMethod.Post, "/api/v1/tenants/dep-other/deploy", null, "true", "admin-key-1")).Body["deployment_id"]!.GetValue<string>();

        Assert.Equal(HttpStatusCode.Forbidden, (await SendWith(keyed, HttpMethod.Get, $"/api/v1/deployments/{other}", null, "true", "mine-key-1")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendWith(keyed, HttpMethod.Post, $"/api/v1/deployments/{other}/rollback", null, "true", "mine-key-1")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendWith(keyed, HttpMethod.Post, "/api/v1/tenants/dep-other/deploy", null, "true", "mine-key-1")).Status);
        Assert.Equal(HttpStatusCode.Accepted, (await SendWith(keyed, HttpMethod.Post, "/api/v1/tenants/dep-mine/deploy", null, "true", "mine-key-1")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendWith(keyed, HttpMethod.Get, $"/api/v1/deployments/{other}", null, "true", "wrong-key")).Status);
    }

    [Fact]
    public async Task A_production_deployment_without_a_configured_cluster_is_refused_and_records_nothing()
    {
        using var keyed = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await SendWith(keyed, HttpMethod.Post, "/api/v1/tenants/", Request("dep-prod"), "false", "admin-key-1")).Status);
        var (noCluster, clusterProblem, _) = await SendWith(keyed, HttpMethod.Post, "/api/v1/tenants/dep-prod/deploy", null, "false", "admin-key-1");
        Assert.Equal((HttpStatusCode.Conflict, "No production cluster is configured"), (noCluster, clusterProblem["title"]!.GetValue<string>()));
        var (_, none, _) = await SendWith(keyed, HttpMethod.Get, "/api/v1/tenants/dep-prod/deployments", null, "false", "admin-key-1");
        Assert.Empty(none["deployments"]!.AsArray());
    }
}
