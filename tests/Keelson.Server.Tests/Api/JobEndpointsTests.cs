using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Keelson.Server.Tests.Api;

/// <summary>The server with job passes every 100 ms.</summary>
public sealed class JobApiFactory : ApiFactory
{
    protected override void ConfigureSettings(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Keelson:Jobs:PollInterval", "00:00:00.100");
    }
}

/// <summary>Queues and jobs through the API, run as real Kubernetes Jobs on the embedded sandbox to completion.</summary>
public sealed class JobEndpointsTests(JobApiFactory factory) : IClassFixture<JobApiFactory>
{
    private static readonly JsonObject Queue = JsonNode.Parse("""
        {"queueing_strategy": "StrictFIFO", "preemption": {"within_queue": "LowerPriority"},
         "flavors": [{"pool": "general", "nominal": {"cpu": "4", "memory": "16Gi"}},
                     {"pool": "gpu-t4", "nominal": {"cpu": "8", "memory": "32Gi", "gpu": 2}}]}
        """)!.AsObject();

    private static JsonObject Job(string name, string cpu, string run = "60s", int priority = 0, string? gpuType = null) => new()
    {
        ["name"] = name,
        ["queue"] = "batch",
        ["image"] = "registry.example.com/quant/backtest:1.4",
        ["command"] = new JsonArray("python", "-m", "backtest"),
        ["env"] = new JsonObject { ["STRATEGY"] = "momentum" },
        ["annotations"] = new JsonObject { ["sandbox.keelson.dev/run-duration"] = run },
        ["resources"] = gpuType is null
            ? new JsonObject { ["cpu"] = cpu, ["memory"] = "2Gi" }
            : new JsonObject { ["cpu"] = cpu, ["memory"] = "8Gi", ["gpu"] = 1, ["gpu_type"] = gpuType },
        ["priority"] = priority,
    };

    private async Task<HttpClient> TenantWithQueueAsync(string tenant)
    {
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await Send(client, HttpMethod.Post, "/api/v1/tenants/", DeploymentEndpointsTests.Request(tenant))).Status);
        var (status, body, _) = await Send(client, HttpMethod.Put, $"/api/v1/tenants/{tenant}/job-queues/batch", Queue);
        Assert.True(status == HttpStatusCode.Created, body.ToJsonString());
        return client;
    }

    [Fact]
    public async Task Jobs_are_admitted_within_quota_run_as_Kubernetes_Jobs_on_the_admitted_pool_and_release_quota_when_done()
    {
        using var client = await TenantWithQueueAsync("jobs-run");
        var ids = new List<long>();
        foreach (var job in new[] { Job("a", "2"), Job("b", "2"), Job("c", "2"), Job("gpu", "2", gpuType: "T4") })
        {
            var (status, body, location) = await Send(client, HttpMethod.Post, "/api/v1/tenants/jobs-run/jobs", job);
            Assert.True(status == HttpStatusCode.Created, body.ToJsonString());
            ids.Add(body["id"]!.GetValue<long>());
            Assert.Equal($"/api/v1/tenants/jobs-run/jobs/{ids[^1]}", location);
        }

        var done = await WaitAsync(client, "jobs-run", ids, j => j["state"]!.GetValue<string>() == "succeeded");
        var (a, b, c, gpu) = (done[0], done[1], done[2], done[3]);
        Assert.Equal(["general", "general", "general", "gpu-t4"], done.Select(j => j["flavor"]!.GetValue<string>()));
        Assert.All(done, j => Assert.Equal(("succeeded", 1), (Assert.Single(j["attempts"]!.AsArray())!["outcome"]!.GetValue<string>(), j["attempt"]!.GetValue<int>())));

        // c needed a's or b's quota: it was admitted only after one of them ended.
        var firstEnd = new[] { a, b }.Min(j => Time(j["attempts"]![0]!["ended_at"]));
        Assert.True(Time(c["attempts"]![0]!["admitted_at"]) >= firstEnd, c.ToJsonString());
        Assert.True(Time(a["attempts"]![0]!["admitted_at"]) < firstEnd);

        // The Kubernetes Jobs: deterministic names, the admitted pool's affinity and tolerations, requests as limits.
        var jobs = await factory.Services.GetRequiredService<DeploymentClusters>().InspectSandboxesAsync(s => s.Engine.Store.List<V1Job>("jobs-run").ToList(), default);
        var created = jobs.SelectMany(j => j).ToDictionary(j => j.Metadata.Name);
        var gpuJob = created[$"gpu-{ids[3]}-a1"];
        Assert.Equal(["gpu-t4"], gpuJob.Spec.Template.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions[0].Values);
        Assert.Contains(gpuJob.Spec.Template.Spec.Tolerations, t => t.Key == "nvidia.com/gpu" && t.Effect == "NoSchedule");
        Assert.Equal("1", gpuJob.Spec.Template.Spec.Containers[0].Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("Complete", gpuJob.Status.Conditions.Single().Type);
        Assert.Contains($"c-{ids[2]}-a1", created.Keys);

        // The cluster autoscaler brought up a T4 node for the GPU job (the pool starts at zero).
        var t4Nodes = await factory.Services.GetRequiredService<DeploymentClusters>().InspectSandboxesAsync(
            s => s.Engine.Store.List<V1Node>().Count(n => n.Metadata.Labels.TryGetValue("keelson.dev/pool", out var p) && p == "gpu-t4"), default);
        Assert.True(t4Nodes.Sum() >= 1);

        var listed = (await Send(client, HttpMethod.Get, "/api/v1/tenants/jobs-run/jobs?state=succeeded&queue=batch")).Body["jobs"]!.AsArray();
        Assert.Equal(ids.AsEnumerable().Reverse(), listed.Select(j => j!["id"]!.GetValue<long>()));
        var queue = (await Send(client, HttpMethod.Get, "/api/v1/tenants/jobs-run/job-queues/batch")).Body;
        Assert.Equal((0, 0, 0), (queue["jobs"]!["pending"]!.GetValue<int>(), queue["jobs"]!["admitted"]!.GetValue<int>(), queue["jobs"]!["running"]!.GetValue<int>()));
        Assert.Equal("StrictFIFO", queue["queueing_strategy"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancelling_a_running_job_deletes_its_Kubernetes_Job_and_admits_the_next()
    {
        using var client = await TenantWithQueueAsync("jobs-cancel");
        var longId = (await Send(client, HttpMethod.Post, "/api/v1/tenants/jobs-cancel/jobs", Job("long", "4", run: "10h"))).Body["id"]!.GetValue<long>();
        var nextId = (await Send(client, HttpMethod.Post, "/api/v1/tenants/jobs-cancel/jobs", Job("next", "4"))).Body["id"]!.GetValue<long>();
        await WaitAsync(client, "jobs-cancel", [longId], j => j["state"]!.GetValue<string>() == "running");
        Assert.Equal("pending", (await Send(client, HttpMethod.Get, $"/api/v1/tenants/jobs-cancel/jobs/{nextId}")).Body["state"]!.GetValue<string>());

        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("keelson_queue_pending_jobs{tenant=\"jobs-cancel\",queue=\"batch\",mode=\"demo\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("keelson_queue_running_jobs{tenant=\"jobs-cancel\",queue=\"batch\",mode=\"demo\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("keelson_queue_admitted_jobs{tenant=\"jobs-cancel\",queue=\"batch\",mode=\"demo\"} 0\n", metrics, StringComparison.Ordinal);

        var (status, cancelled, _) = await Send(client, HttpMethod.Post, $"/api/v1/tenants/jobs-cancel/jobs/{longId}/cancel");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("cancelled", cancelled["state"]!.GetValue<string>());

        await WaitAsync(client, "jobs-cancel", [nextId], j => j["state"]!.GetValue<string>() == "succeeded");
        var left = await factory.Services.GetRequiredService<DeploymentClusters>().InspectSandboxesAsync(s => s.Engine.Store.List<V1Job>("jobs-cancel").Select(j => j.Metadata.Name).ToList(), default);
        Assert.Equal([$"next-{nextId}-a1"], left.SelectMany(l => l));

        Assert.Contains("keelson_queue_pending_jobs{tenant=\"jobs-cancel\",queue=\"batch\",mode=\"demo\"} 0\n", await client.GetStringAsync(new Uri("/metrics", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, (await Send(client, HttpMethod.Post, $"/api/v1/tenants/jobs-cancel/jobs/{nextId}/cancel")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await Send(client, HttpMethod.Post, $"/api/v1/tenants/jobs-cancel/jobs/{nextId}/retry")).Status);
        var retried = (await Send(client, HttpMethod.Post, $"/api/v1/tenants/jobs-cancel/jobs/{longId}/retry")).Body;
        Assert.Equal("pending", retried["state"]!.GetValue<string>());
        await WaitAsync(client, "jobs-cancel", [longId], j => j["attempt"]!.GetValue<int>() == 2 && j["state"]!.GetValue<string>() == "running");
        Assert.Equal("cancelled", (await Send(client, HttpMethod.Post, $"/api/v1/tenants/jobs-cancel/jobs/{longId}/cancel")).Body["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task On_the_sandbox_a_higher_priority_job_preempts_a_running_one_which_is_admitted_again_after_it()
    {
        using var client = await TenantWithQueueAsync("jobs-preempt");
        var low = (await Send(client, HttpMethod.Post, "/api/v1/tenants/jobs-preempt/jobs", Job("low", "4", run: "3m", priority: 1))).Body["id"]!.GetValue<long>();
        await WaitAsync(client, "jobs-preempt", [low], j => j["state"]!.GetValue<string>() == "running");
        var high = (await Send(client, HttpMethod.Post, "/api/v1/tenants/jobs-preempt/jobs", Job("high", "4", run: "60s", priority: 10))).Body["id"]!.GetValue<long>();

        var done = await WaitAsync(client, "jobs-preempt", [low, high], j => j["state"]!.GetValue<string>() == "succeeded");

        var lowAttempts = done[0]["attempts"]!.AsArray();
        Assert.Equal(("preempted", $"preempted by job {high}"), (lowAttempts[0]!["outcome"]!.GetValue<string>(), lowAttempts[0]!["message"]!.GetValue<string>()));
        Assert.Equal(("succeeded", 2), (lowAttempts[1]!["outcome"]!.GetValue<string>(), done[0]["attempt"]!.GetValue<int>()));

        // Exact admission order: low, then high (evicting low), then low again once high ended.
        var order = done.SelectMany(j => j["attempts"]!.AsArray().Select(a => (Job: j["name"]!.GetValue<string>(), At: Time(a!["admitted_at"]), Attempt: a["attempt"]!.GetValue<int>())))
            .OrderBy(a => a.At).Select(a => $"{a.Job}#{a.Attempt}");
        Assert.Equal(["low#1", "high#1", "low#2"], order);
        Assert.True(Time(lowAttempts[1]!["admitted_at"]) >= Time(done[1]["attempts"]![0]!["ended_at"]));

        // The preempted attempt's Kubernetes Job was deleted; the second attempt ran under its own name.
        var left = await factory.Services.GetRequiredService<DeploymentClusters>().InspectSandboxesAsync(s => s.Engine.Store.List<V1Job>("jobs-preempt").Select(j => j.Metadata.Name).Order(StringComparer.Ordinal).ToList(), default);
        Assert.Equal(new[] { $"high-{high}-a1", $"low-{low}-a2" }.Order(StringComparer.Ordinal), left.SelectMany(l => l));
    }

    [Fact]
    public async Task On_the_sandbox_StrictFIFO_holds_younger_jobs_behind_its_head_and_BestEffortFIFO_lets_them_pass()
    {
        using var client = await TenantWithQueueAsync("jobs-fifo");
        var best = Queue.DeepClone().AsObject();
        best["queueing_strategy"] = "BestEffortFIFO";
        Assert.Equal(HttpStatusCode.Created, (await Send(client, HttpMethod.Put, "/api/v1/tenants/jobs-fifo/job-queues/best", best)).Status);
        var ids = new Dictionary<string, long>();
        foreach (var queue in new[] { "batch", "best" })
        {
            // a takes 3 of 4 CPUs; b (2 CPUs) cannot fit beside it; c (1 CPU) could.
            foreach (var (name, cpu) in new[] { ("a", "3"), ("b", "2"), ("c", "1") })
            {
                var job = Job($"{queue}-{name}", cpu, run: "60s");
                job["queue"] = queue;
                ids[$"{queue}-{name}"] = (await Send(client, HttpMethod.Post, "/api/v1/tenants/jobs-fifo/jobs", job)).Body["id"]!.GetValue<long>();
            }
        }

        var done = await WaitAsync(client, "jobs-fifo", [.. ids.Values], j => j["state"]!.GetValue<string>() == "succeeded");
        var byName = done.ToDictionary(j => j["name"]!.GetValue<string>());
        DateTimeOffset Admitted(string name) => Time(byName[name]["attempts"]![0]!["admitted_at"]);
        DateTimeOffset Ended(string name) => Time(byName[name]["attempts"]![0]!["ended_at"]);

        // StrictFIFO (the queue named batch): b blocks c until a ends; then b and c go in that order.
        Assert.True(Admitted("batch-b") >= Ended("batch-a"));
        Assert.True(Admitted("batch-c") >= Ended("batch-a"));
        Assert.Equal(["batch-a", "batch-b", "batch-c"], ids.Keys.Where(n => n.StartsWith("batch-", StringComparison.Ordinal)).OrderBy(Admitted).ThenBy(n => ids[n]));

        // BestEffortFIFO: c passes b and runs beside a; b waits for a.
        Assert.True(Admitted("best-c") < Ended("best-a"));
        Assert.True(Admitted("best-b") >= Ended("best-a"));
        Assert.Equal(["best-a", "best-c", "best-b"], ids.Keys.Where(n => n.StartsWith("best-", StringComparison.Ordinal)).OrderBy(Admitted).ThenBy(n => ids[n]));
    }

    [Fact]
    public async Task On_the_sandbox_a_queue_borrows_its_idle_cohort_members_quota_up_to_its_limit()
    {
        using var client = await TenantWithQueueAsync("jobs-cohort");
        var teamA = JsonNode.Parse("""{"cohort": "research", "flavors": [{"pool": "general", "nominal": {"cpu": "2", "memory": "8Gi"}, "borrowing_limit": {"cpu": "2", "memory": "8Gi"}}]}""")!.AsObject();
        var teamB = JsonNode.Parse("""{"cohort": "research", "flavors": [{"pool": "general", "nominal": {"cpu": "2", "memory": "8Gi"}}]}""")!.AsObject();
        Assert.Equal(HttpStatusCode.Created, (await Send(client, HttpMethod.Put, "/api/v1/tenants/jobs-cohort/job-queues/team-a", teamA)).Status);
        Assert.Equal(HttpStatusCode.Created, (await Send(client, HttpMethod.Put, "/api/v1/tenants/jobs-cohort/job-queues/team-b", teamB)).Status);
        var ids = new List<long>();
        foreach (var (name, cpu) in new[] { ("a1", "2"), ("a2", "2"), ("a3", "1") })
        {
            var job = Job(name, cpu, run: "60s");
            job["queue"] = "team-a";
            ids.Add((await Send(client, HttpMethod.Post, "/api/v1/tenants/jobs-cohort/jobs", job)).Body["id"]!.GetValue<long>());
        }

        var done = await WaitAsync(client, "jobs-cohort", ids, j => j["state"]!.GetValue<string>() == "succeeded");
        DateTimeOffset Admitted(int i) => Time(done[i]["attempts"]![0]!["admitted_at"]);
        DateTimeOffset Ended(int i) => Time(done[i]["attempts"]![0]!["ended_at"]);

        // a2 ran beside a1 on team-b's idle quota; a3 would exceed the cohort's 4 CPUs and waited for one of them.
        Assert.True(Admitted(1) < Ended(0), "a2 did not borrow");
        Assert.True(Admitted(2) >= new[] { Ended(0), Ended(1) }.Min());
    }

    [Theory]
    [InlineData("queue", "\"nightly\"", "queue", "unknown queue \"nightly\"; the tenant's queues: batch")]
    [InlineData("image", "\"registry.example.com/quant/backtest\"", "image", "has no tag or digest")]
    [InlineData("parallelism", "-1", "parallelism", "must be from 1 to 1000; got -1")]
    [InlineData("parallelism", "5000", "parallelism", "must be from 1 to 1000; got 5000")]
    [InlineData("resources", """{"cpu": "2", "memory": "8Gi", "gpu": 1, "gpu_type": "A100"}""", "resources.gpu_type", "cluster aws-gpu has no A100 nodes; its GPU types: T4, V100, L40S")]
    [InlineData("resources", """{"cpu": "64", "memory": "2Gi"}""", "resources", "the largest node of cluster aws-gpu for it is m6i.2xlarge in pool general (8 vCPU, 32Gi, 0 GPU)")]
    [InlineData("resources", """{"cpu": "2", "memory": "100Gi", "gpu": 1, "gpu_type": "T4"}""", "resources", "the largest node of cluster aws-gpu for it is g4dn.xlarge in pool gpu-t4 (4 vCPU, 16Gi, 1 GPU)")]
    [InlineData("retires", "3", "retires", "unknown field")]
    public async Task Bad_submissions_are_422_with_the_field_and_nothing_is_queued(string field, string value, string path, string message)
    {
        var tenant = "jobs-bad-" + Math.Abs((field + value).GetHashCode(StringComparison.Ordinal) % 100000);
        using var client = await TenantWithQueueAsync(tenant);
        var job = Job("bad", "1");
        job[field] = JsonNode.Parse(value);

        var (status, problem, _) = await Send(client, HttpMethod.Post, $"/api/v1/tenants/{tenant}/jobs", job);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains(message, problem["errors"]![path]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(message, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await Send(client, HttpMethod.Get, $"/api/v1/tenants/{tenant}/jobs")).Body["jobs"]!.AsArray());
    }

    [Fact]
    public async Task A_lending_limit_is_stored_and_read_back_and_needs_a_cohort_and_at_most_nominal()
    {
        using var client = await TenantWithQueueAsync("jobs-lending");
        var lending = JsonNode.Parse("""{"cohort": "research", "flavors": [{"pool": "general", "nominal": {"cpu": "4", "memory": "16Gi"}, "lending_limit": {"cpu": "1", "memory": "4Gi"}}]}""")!.AsObject();
        var (status, created, _) = await Send(client, HttpMethod.Put, "/api/v1/tenants/jobs-lending/job-queues/lender", lending);
        Assert.True(status == HttpStatusCode.Created, created.ToJsonString());
        var read = (await Send(client, HttpMethod.Get, "/api/v1/tenants/jobs-lending/job-queues/lender")).Body;
        Assert.Equal(("1", "4Gi"), (read["flavors"]![0]!["lending_limit"]!["cpu"]!.GetValue<string>(), read["flavors"]![0]!["lending_limit"]!["memory"]!.GetValue<string>()));

        var (noCohort, problem, _) = await Send(client, HttpMethod.Put, "/api/v1/tenants/jobs-lending/job-queues/other",
            JsonNode.Parse("""{"flavors": [{"pool": "general", "nominal": {"cpu": "4"}, "lending_limit": {"cpu": "1"}}]}""")!.AsObject());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noCohort);
        Assert.Equal(["flavors[0].lending_limit"], problem["errors"]!.AsObject().Select(e => e.Key));
        var (tooMuch, excess, _) = await Send(client, HttpMethod.Put, "/api/v1/tenants/jobs-lending/job-queues/other",
            JsonNode.Parse("""{"cohort": "research", "flavors": [{"pool": "general", "nominal": {"cpu": "4"}, "lending_limit": {"cpu": "5"}}]}""")!.AsObject());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMuch);
        Assert.Contains("exceeds the nominal quota (cpu 5000m > 4000m)", excess["errors"]!["flavors[0].lending_limit"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_queues_are_422_and_unknown_things_404()
    {
        using var client = await TenantWithQueueAsync("jobs-queues");
        var bad = JsonNode.Parse("""{"queueing_strategy": "LIFO", "flavors": [{"pool": "gpu-a100", "nominal": {"cpu": "x"}, "borrowing_limit": {"cpu": "1"}}]}""")!.AsObject();
        var (status, problem, _) = await Send(client, HttpMethod.Put, "/api/v1/tenants/jobs-queues/job-queues/other", bad);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["flavors[0].borrowing_limit", "flavors[0].nominal.cpu", "flavors[0].pool", "queueing_strategy"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("its pools: ingress, general, gpu-t4, gpu-v100, gpu-l40s", errors["flavors[0].pool"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await Send(client, HttpMethod.Put, "/api/v1/tenants/jobs-queues/job-queues/batch", Queue)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(client, HttpMethod.Get, "/api/v1/tenants/jobs-queues/job-queues/other")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(client, HttpMethod.Get, "/api/v1/tenants/jobs-queues/jobs/999999")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(client, HttpMethod.Get, "/api/v1/tenants/jobs-queues/jobs/abc")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(client, HttpMethod.Post, "/api/v1/tenants/nobody/jobs", Job("x", "1"))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(client, HttpMethod.Get, "/api/v1/tenants/jobs-queues/jobs?state=done")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Send(client, HttpMethod.Delete, "/api/v1/tenants/jobs-queues/job-queues/batch")).Status);
        Assert.Empty((await Send(client, HttpMethod.Get, "/api/v1/tenants/jobs-queues/job-queues")).Body["queues"]!.AsArray());
    }

    private static DateTimeOffset Time(JsonNode? node) => DateTimeOffset.Parse(node!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<List<JsonNode>> WaitAsync(HttpClient client, string tenant, IReadOnlyList<long> ids, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var jobs = new List<JsonNode>();
            foreach (var id in ids)
            {
                jobs.Add((await Send(client, HttpMethod.Get, $"/api/v1/tenants/{tenant}/jobs/{id}")).Body);
            }

            if (jobs.All(done))
            {
                return jobs;
            }

            Assert.True(DateTime.UtcNow < deadline, "jobs did not get there: " + string.Join(" | ", jobs.Select(j => j.ToJsonString())));
            await Task.Delay(100);
        }
    }

    private static Task<(HttpStatusCode Status, JsonNode Body, string? Location)> Send(HttpClient client, HttpMethod method, string path, JsonObject? body = null) =>
        DeploymentEndpointsTests.SendWith(client, method, path, body is null ? null : (JsonObject)body.DeepClone(), null, null);
}
