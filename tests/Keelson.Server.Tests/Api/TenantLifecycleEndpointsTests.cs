using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Delivery.Kubernetes;
using Keelson.Testing;

namespace Keelson.Server.Tests.Api;

/// <summary>
/// The ECP-AI dashboard's tenant actions as it sends them (no X-Demo-Mode, no body), each a durable deployment whose
/// effect is read back from the sandbox cluster with the Kubernetes client and with kubectl.
/// </summary>
public sealed class TenantLifecycleEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private string Kubeconfig => Path.Combine(factory.DataDirectory, "sandbox", "aws-gpu.kubeconfig");

    [Fact]
    public async Task Start_stop_start_and_restart_scale_and_restamp_the_workloads_and_keep_everything_else()
    {
        await CreateAsync("life-one");

        // Never deployed: start delivers it as planned; stop and restart have nothing to act on yet.
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(HttpMethod.Post, "/api/v1/tenants/life-one/stop")).Status);
        var started = await RunAsync("life-one", "start");
        Assert.Equal("running", await StatusAsync("life-one"));
        var planned = await ReplicasAsync("life-one", "chatbot");
        Assert.True(planned >= 1);
        var uid = (await GetDeploymentAsync("life-one", "chatbot")).Metadata.Uid;

        // Start again while running: nothing to do, no deployment.
        var (againStatus, again) = await SendAsync(HttpMethod.Post, "/api/v1/tenants/life-one/start");
        Assert.Equal((HttpStatusCode.OK, false, "running"), (againStatus, again["success"]!.GetValue<bool>(), again["status"]!.GetValue<string>()));

        await RunAsync("life-one", "stop");
        Assert.Equal("stopped", await StatusAsync("life-one"));
        var stopped = await GetDeploymentAsync("life-one", "chatbot");
        Assert.Equal((0, uid), (stopped.Spec.Replicas, stopped.Metadata.Uid));
        var kubectl = await ExternalProcess.RunAsync("kubectl", ["--kubeconfig", Kubeconfig, "get", "deployment", "chatbot", "-n", "life-one", "-o", "jsonpath={.spec.replicas}/{.status.replicas}"], TimeSpan.FromSeconds(30));
        Assert.Equal("0/0", kubectl.Trim());

        // The Service, its HPA and the rest are kept.
        using (var cluster = KubernetesCluster.Connect(Kubeconfig, null))
        {
            Assert.NotNull(await cluster.GetAsync(new ObjectKey("v1", "Service", "life-one", "chatbot"), CancellationToken.None));
        }

        await RunAsync("life-one", "start");
        Assert.Equal(("running", planned), (await StatusAsync("life-one"), await ReplicasAsync("life-one", "chatbot")));

        var restart = await RunAsync("life-one", "restart");
        var restarted = await GetDeploymentAsync("life-one", "chatbot");
        var stamp = restarted.Spec.Template.Metadata.Annotations["kubectl.kubernetes.io/restartedAt"];
        Assert.Equal(restart["created_at"]!.GetValue<DateTimeOffset>().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), stamp);
        Assert.Equal((planned, uid), (restarted.Spec.Replicas, restarted.Metadata.Uid));

        var (_, history) = await SendAsync(HttpMethod.Get, "/api/v1/tenants/life-one/deployments");
        Assert.Equal(["restart", "start", "stop", "start"], history["deployments"]!.AsArray().Select(d => d!["action"]!.GetValue<string>()));
        Assert.Equal(started["deployment_id"]!.GetValue<string>(), history["deployments"]![3]!["deployment_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Complete_deployment_reports_the_running_step_and_never_forces_it()
    {
        await CreateAsync("life-complete");
        var (idle, notDeploying) = await SendAsync(HttpMethod.Post, "/api/v1/tenants/life-complete/complete-deployment");
        Assert.Equal((HttpStatusCode.OK, false, "pending"), (idle, notDeploying["success"]!.GetValue<bool>(), notDeploying["current_status"]!.GetValue<string>()));

        var (_, accepted) = await SendAsync(HttpMethod.Post, "/api/v1/tenants/life-complete/start");
        var (status, running) = await SendAsync(HttpMethod.Post, "/api/v1/tenants/life-complete/complete-deployment");
        var id = accepted["deployment_id"]!.GetValue<string>();
        using var client = factory.CreateClient();
        var done = await DeploymentClient.WaitFinishedAsync(client, id);

        // Either it was still running (202, naming it) or it had just finished (200, not deploying); never a forced success.
        Assert.True(status == HttpStatusCode.Accepted ? running["deployment_id"]!.GetValue<string>() == id : running["success"]!.GetValue<bool>() == false, running.ToJsonString());
        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        Assert.All(done["steps"]!.AsArray(), s => Assert.Equal("succeeded", s!["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Check_duplicate_answers_free_taken_with_free_suggestions_and_invalid()
    {
        await CreateAsync("dup-taken");
        await CreateAsync("dup-taken-v2");

        var (_, free) = await SendAsync(HttpMethod.Get, "/api/v1/tenants/check-duplicate/dup-free");
        var (_, taken) = await SendAsync(HttpMethod.Get, "/api/v1/tenants/check-duplicate/dup-taken");
        var (_, invalid) = await SendAsync(HttpMethod.Get, "/api/v1/tenants/check-duplicate/Bad_Id");

        Assert.Equal((true, "dup-free"), (free["available"]!.GetValue<bool>(), free["tenant_id"]!.GetValue<string>()));
        Assert.False(taken["available"]!.GetValue<bool>());
        Assert.Contains("taken", taken["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var suggestions = taken["suggestions"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
        Assert.DoesNotContain("dup-taken-v2", suggestions);
        Assert.Contains("dup-taken-new", suggestions);
        var (_, existing) = await SendAsync(HttpMethod.Get, "/api/v1/tenants/dup-taken");
        Assert.Equal((existing["name"]!.GetValue<string>(), "pending", existing["services_count"]!.GetValue<int>()),
            (taken["existing_tenant"]!["name"]!.GetValue<string>(), taken["existing_tenant"]!["status"]!.GetValue<string>(), taken["existing_tenant"]!["services_count"]!.GetValue<int>()));
        Assert.Equal((false, false), (invalid["available"]!.GetValue<bool>(), invalid["valid"]!.GetValue<bool>()));
        Assert.Contains("DNS label", invalid["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Patch_merges_into_the_stored_request_replans_and_refuses_status()
    {
        await CreateAsync("life-patch");

        var (status, patched) = await SendAsync(HttpMethod.Patch, "/api/v1/tenants/life-patch",
            """{"name": "새 이름", "description": "patched", "service_requirements": {"chatbot": 0, "callbot": 30}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("새 이름", "patched", 0, 30, 2L), (patched["name"]!.GetValue<string>(), patched["description"]!.GetValue<string>(),
            patched["service_config"]!["chatbot"]!.GetValue<int>(), patched["service_config"]!["callbot"]!.GetValue<int>(), patched["version"]!.GetValue<long>()));

        // null removes a field (RFC 7396): the description is gone, the rest stays.
        var (_, cleared) = await SendAsync(HttpMethod.Patch, "/api/v1/tenants/life-patch", """{"description": null}""");
        Assert.Equal(("새 이름", 30), (cleared["name"]!.GetValue<string>(), cleared["service_config"]!["callbot"]!.GetValue<int>()));
        Assert.Null(cleared["description"]);

        var (statusCode, refused) = await SendAsync(HttpMethod.Patch, "/api/v1/tenants/life-patch", """{"status": "running"}""");
        var (invalidCode, invalid) = await SendAsync(HttpMethod.Patch, "/api/v1/tenants/life-patch", """{"service_requirements": {"callbot": -3}}""");
        var (duplicateCode, _) = await SendAsync(HttpMethod.Patch, "/api/v1/tenants/life-patch", """{"name": "a", "name": "b"}""");
        var (missingCode, _) = await SendAsync(HttpMethod.Patch, "/api/v1/tenants/nobody-here", """{"name": "a"}""");
        Assert.Equal((HttpStatusCode.UnprocessableEntity, HttpStatusCode.UnprocessableEntity, HttpStatusCode.BadRequest, HttpStatusCode.NotFound), (statusCode, invalidCode, duplicateCode, missingCode));
        Assert.NotNull(refused["errors"]!["status"]);
        Assert.NotNull(invalid["errors"]!["service_requirements.callbot"]);
        Assert.Equal(("pending", 3L), (await StatusAsync("life-patch"), (await SendAsync(HttpMethod.Get, "/api/v1/tenants/life-patch")).Body["version"]!.GetValue<long>()));
    }

    [Fact]
    public async Task Health_and_ready_answer_in_the_original_shapes_with_real_checks()
    {
        using var client = factory.CreateClient();
        var health = JsonNode.Parse(await client.GetStringAsync(new Uri("/health", UriKind.Relative)))!;
        using var ready = await client.GetAsync(new Uri("/ready", UriKind.Relative));
        var readiness = JsonNode.Parse(await ready.Content.ReadAsStringAsync())!;

        Assert.Equal(("healthy", "keelson"), (health["status"]!.GetValue<string>(), health["service"]!.GetValue<string>()));
        Assert.True(DateTimeOffset.UtcNow - health["timestamp"]!.GetValue<DateTimeOffset>() < TimeSpan.FromMinutes(1));
        Assert.Equal((HttpStatusCode.OK, "ready", "ok", "ok", "not configured"), (ready.StatusCode, readiness["status"]!.GetValue<string>(),
            readiness["checks"]!["database"]!.GetValue<string>(), readiness["checks"]!["kubernetes"]!.GetValue<string>(), readiness["checks"]!["redis"]!.GetValue<string>()));
    }

    private async Task<JsonObject> RunAsync(string tenant, string action)
    {
        var (status, accepted) = await SendAsync(HttpMethod.Post, $"/api/v1/tenants/{tenant}/{action}");
        Assert.True(status == HttpStatusCode.Accepted, accepted.ToJsonString());
        Assert.Equal((true, "deploying", action), (accepted["success"]!.GetValue<bool>(), accepted["status"]!.GetValue<string>(), accepted["action"]!.GetValue<string>()));
        using var client = factory.CreateClient();
        var done = await DeploymentClient.WaitFinishedAsync(client, accepted["deployment_id"]!.GetValue<string>());
        Assert.True(done["status"]!.GetValue<string>() == "succeeded", done.ToJsonString());
        return done;
    }

    private async Task<V1Deployment> GetDeploymentAsync(string ns, string name)
    {
        using var cluster = KubernetesCluster.Connect(Kubeconfig, null);
        return (V1Deployment)(await cluster.GetAsync(new ObjectKey("apps/v1", "Deployment", ns, name), CancellationToken.None))!;
    }

    private async Task<int?> ReplicasAsync(string ns, string name) => (await GetDeploymentAsync(ns, name)).Spec.Replicas;

    private async Task<string> StatusAsync(string tenant) => (await SendAsync(HttpMethod.Get, $"/api/v1/tenants/{tenant}")).Body["status"]!.GetValue<string>();

    private async Task CreateAsync(string id) =>
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/v1/tenants/", DeploymentEndpointsTests.Request(id).ToJsonString())).Status);

    // As the dashboard sends them: no X-Demo-Mode (the server's default, demo, applies).
    private async Task<(HttpStatusCode Status, JsonNode Body)> SendAsync(HttpMethod method, string path, string? json = null)
    {
        using var client = factory.CreateClient();
        var (status, body, _) = await DropInTests.SendWithAsync(client, method, path, json, demo: null);
        return (status, body);
    }
}
