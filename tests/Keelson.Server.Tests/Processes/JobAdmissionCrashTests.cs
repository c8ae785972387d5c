using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Keelson.Server.Tests.Processes;

/// <summary>A server killed while it admits jobs: a restarted one finishes the queue, and every job was admitted exactly once.</summary>
[Collection(ServerProcessTests.Name)]
[Trait("Category", "Processes")]
public sealed class JobAdmissionCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Each job runs 4 virtual seconds, half a wall second at this speed, so 40 jobs four at a time take several seconds.
    private const double SandboxSpeed = 8;
    private const string Tenant = "crash-jobs";
    private const int Jobs = 40;
    private ProcessTestbed testbed = null!;

    public async Task InitializeAsync() => testbed = await ProcessTestbed.StartAsync(SandboxSpeed, output);

    public async Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await testbed.DisposeAsync();
    }

    [Fact]
    public Task A_server_killed_during_admission_is_resumed_and_every_job_is_admitted_exactly_once() => testbed.RunAsync(async () =>
    {
        var data = Path.Combine(testbed.Folder, "data");
        string[] fast = ["--Keelson:Jobs:PollInterval", "00:00:00.050"];
        var a = await testbed.StartServerAsync("A", data, fast);
        Assert.Equal(HttpStatusCode.Created, (await a.SendAsync(HttpMethod.Post, "/api/v1/tenants/", ServerCrashTests.TenantRequest(Tenant))).Status);
        var queue = JsonNode.Parse("""{"flavors": [{"pool": "general", "nominal": {"cpu": "4", "memory": "16Gi"}}]}""")!.AsObject();
        Assert.Equal(HttpStatusCode.Created, (await a.SendAsync(HttpMethod.Put, $"/api/v1/tenants/{Tenant}/job-queues/batch", queue)).Status);
        for (var i = 0; i < Jobs; i++)
        {
            var job = new JsonObject
            {
                ["name"] = $"backtest-{i:D2}", ["queue"] = "batch", ["image"] = "registry.example.com/quant/backtest:1.4",
                ["resources"] = new JsonObject { ["cpu"] = "1", ["memory"] = "1Gi" },
                ["annotations"] = new JsonObject { ["sandbox.keelson.dev/run-duration"] = "4s" },
            };
            Assert.Equal(HttpStatusCode.Created, (await a.SendAsync(HttpMethod.Post, $"/api/v1/tenants/{Tenant}/jobs", job)).Status);
        }

        // Kill A hard once it is well into the queue, with jobs admitted, running and pending at once.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var states = await StatesAsync(a);
            if (states.GetValueOrDefault("succeeded") >= 8)
            {
                output.WriteLine("killing A at " + string.Join(", ", states.OrderBy(s => s.Key).Select(s => $"{s.Key}={s.Value}")));
                Assert.True(states.GetValueOrDefault("pending") > 0, "the queue drained before A was killed; slow the sandbox down");
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "A admitted too few jobs in 60 s");
            await Task.Delay(20);
        }

        await a.KillAsync();
        var b = await testbed.StartServerAsync("B", data, fast);
        deadline = DateTime.UtcNow.AddSeconds(120);
        JsonArray jobs;
        while (true)
        {
            jobs = (await b.SendAsync(HttpMethod.Get, $"/api/v1/tenants/{Tenant}/jobs?limit=1000")).Body["jobs"]!.AsArray();
            if (jobs.All(j => j!["state"]!.GetValue<string>() == "succeeded"))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "B did not finish the queue: " + jobs.ToJsonString());
            await Task.Delay(100);
        }

        Assert.Equal(0, await b.StopAsync());

        // Exactly once: one attempt per job in the database, one Kubernetes Job per job on the cluster, no second attempt.
        Assert.Equal(Jobs, jobs.Count);
        Assert.All(jobs, j => Assert.Equal((1, "succeeded"), (j!["attempt"]!.GetValue<int>(), Assert.Single(j["attempts"]!.AsArray())!["outcome"]!.GetValue<string>())));
        var created = testbed.Facade.Inspect(c => c.Engine.Store.List<V1Job>(Tenant).ToList());
        Assert.Equal(
            jobs.Select(j => $"{j!["name"]!.GetValue<string>()}-{j["id"]!.GetValue<long>()}-a1").Order(StringComparer.Ordinal),
            created.Select(j => j.Metadata.Name).Order(StringComparer.Ordinal));
        Assert.All(created, j => Assert.Equal("Complete", j.Status.Conditions.Single().Type));

        // The quota held across the crash: never more than four of these 1-CPU Jobs ran at once on the cluster's clock.
        var edges = created.SelectMany(j => new[] { (At: j.Status.StartTime!.Value, Delta: +1), (At: j.Status.CompletionTime!.Value, Delta: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Delta).ToList();
        var running = 0;
        var most = 0;
        foreach (var (_, delta) in edges)
        {
            running += delta;
            most = Math.Max(most, running);
        }

        output.WriteLine($"at most {most} Jobs ran at once");
        Assert.InRange(most, 1, 4);
    });

    private static async Task<Dictionary<string, int>> StatesAsync(ServerProcess server)
    {
        var jobs = (await server.SendAsync(HttpMethod.Get, $"/api/v1/tenants/{Tenant}/jobs?limit=1000")).Body["jobs"]!.AsArray();
        return jobs.GroupBy(j => j!["state"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
    }
}
