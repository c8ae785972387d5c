using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Keelson.Testing;
using Xunit.Abstractions;

namespace Keelson.Server.Tests.Processes;

[Collection(ServerProcessTests.Name)]
[Trait("Category", "Processes")]
public sealed class ReplicaTests(PostgresServer postgres, ITestOutputHelper output) : IAsyncLifetime
{
    // Fast enough that eight deployments finish in seconds; the replicas' timing does not matter here, only who runs what.
    private const double SandboxSpeed = 30;
    private const int Tenants = 6;
    private const string Twice = "replica-twice";
    private static readonly TimeSpan Finishing = TimeSpan.FromSeconds(90);
    private static readonly string[] Names = ["A", "B"];
    private static readonly string[] StepNames = ["validate", "plan", "namespace", "config", "storage", "workloads", "services", "ingress", "monitoring", "verify"];
    private ProcessTestbed testbed = null!;

    public async Task InitializeAsync() => testbed = await ProcessTestbed.StartAsync(SandboxSpeed, output);

    public async Task DisposeAsync() => await testbed.DisposeAsync();

    [Fact]
    public Task Two_replicas_on_one_PostgreSQL_database_deploy_each_tenant_once() => testbed.RunAsync(async () =>
    {
        // The same flags and database for both; each its own data directory, since the production database stays a
        // SQLite file there.
        var database = await postgres.CreateDatabaseAsync();
        var starting = Names.Select(name => testbed.StartServerAsync(name, Path.Combine(testbed.Folder, name), "--ConnectionStrings:Demo", database)).ToList();
        var replicas = await Task.WhenAll(starting);
        var (a, b) = (replicas[0], replicas[1]);

        var ids = new List<string>();
        for (var i = 0; i < Tenants; i++)
        {
            var (server, tenant) = (replicas[i % 2], Tenant(i));
            Assert.Equal(HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Post, "/api/v1/tenants/", ServerCrashTests.TenantRequest(tenant))).Status);
            ids.Add(await DeployAsync(server, tenant));
        }

        // One tenant deployed through both replicas at the same moment: two revisions, which must run one after the other.
        Assert.Equal(HttpStatusCode.Created, (await a.SendAsync(HttpMethod.Post, "/api/v1/tenants/", ServerCrashTests.TenantRequest(Twice))).Status);
        var both = await Task.WhenAll(DeployAsync(a, Twice), DeployAsync(b, Twice));
        ids.AddRange(both);

        var clock = Stopwatch.StartNew();
        var done = new List<JsonObject>();
        foreach (var id in ids)
        {
            var left = Finishing - clock.Elapsed;
            done.Add(await replicas[done.Count % 2].WaitForDeploymentAsync(id, d => d["finished"]!.GetValue<bool>(), left > TimeSpan.Zero ? left : TimeSpan.Zero));
        }

        var verifying = done.Select(d => ServerCrashTests.Step(d, "verify")).Select(v => (v["finished_at"]!.GetValue<DateTimeOffset>() - v["started_at"]!.GetValue<DateTimeOffset>()).TotalSeconds).ToList();
        output.WriteLine($"{done.Count} deployments finished {clock.Elapsed.TotalSeconds:F1} s after the last was accepted; verify took {verifying.Min():F1}–{verifying.Max():F1} s");
        var runners = replicas.ToDictionary(r => r, r => done.Count(d => d["runner"]?.GetValue<string>()?.StartsWith(OwnerPrefix(r), StringComparison.Ordinal) == true));
        output.WriteLine(string.Join("; ", runners.Select(r => $"replica {r.Key.Name} (pid {r.Key.ProcessId}) ran {r.Value}")));

        Assert.All(done, d => Assert.Equal((d["deployment_id"]!.GetValue<string>(), "succeeded"), (d["deployment_id"]!.GetValue<string>(), d["status"]!.GetValue<string>())));
        Assert.All(done, d => Assert.All(d["steps"]!.AsArray(), s => Assert.Equal(
            (d["tenant_id"]!.GetValue<string>(), s!["name"]!.GetValue<string>(), "succeeded", 1),
            (d["tenant_id"]!.GetValue<string>(), s["name"]!.GetValue<string>(), s["status"]!.GetValue<string>(), s["attempts"]!.GetValue<int>()))));
        Assert.Equal(done.Count, runners.Values.Sum());

        var revisions = done.Where(d => d["tenant_id"]!.GetValue<string>() == Twice).OrderBy(d => d["revision"]!.GetValue<int>()).ToList();
        Assert.Equal([1, 2], revisions.Select(d => d["revision"]!.GetValue<int>()));
        var firstEnded = revisions[0]["steps"]!.AsArray().Max(s => s!["finished_at"]!.GetValue<DateTimeOffset>());
        var secondStarted = revisions[1]["steps"]!.AsArray().Min(s => s!["started_at"]!.GetValue<DateTimeOffset>());
        Assert.True(secondStarted >= firstEnded, $"Revision 2 of {Twice} started at {secondStarted:O}, before revision 1 ended at {firstEnded:O}.");

        // The second revision found the cluster as the first left it: the same request, its inventory already recorded.
        Assert.EndsWith("revision 1 already recorded", ServerCrashTests.Step(revisions[1], "verify")["message"]!.GetValue<string>(), StringComparison.Ordinal);

        var tenants = Enumerable.Range(0, Tenants).Select(Tenant).Append(Twice).ToList();
        foreach (var tenant in tenants)
        {
            var (_, list) = await a.SendAsync(HttpMethod.Get, $"/api/v1/tenants/{tenant}/deployments");
            Assert.Equal((tenant, tenant == Twice ? 2 : 1), (tenant, list["deployments"]!.AsArray().Count));
        }

        // Both shut down cleanly on SIGTERM once idle, which also flushes their logs.
        var exitCodes = await Task.WhenAll(a.StopAsync(), b.StopAsync());
        Assert.Equal([0, 0], exitCodes);

        // The logs say who really ran what: every step of every deployment started once, all on the replica recorded as its runner.
        var logged = replicas.SelectMany(r => r.LoggedSteps().Select(step => (Replica: r, Step: step))).ToList();
        foreach (var deployment in done)
        {
            var id = deployment["deployment_id"]!.GetValue<string>();
            var started = logged.Where(l => l.Step.DeploymentId == id).ToList();
            var runner = deployment["runner"]!.GetValue<string>();
            Assert.Equal(
                (id, string.Join(' ', StepNames), true),
                (id, string.Join(' ', started.Select(l => l.Step.Step)), started.All(l => l.Step.Attempt == 1 && runner.StartsWith(OwnerPrefix(l.Replica), StringComparison.Ordinal))));
        }

        foreach (var tenant in tenants)
        {
            var objects = await TenantObjects.ReadSettledAsync(testbed.Facade, tenant, TimeSpan.FromSeconds(10));
            Assert.Equal((tenant, 1), (tenant, objects.InventoryRevision));
            Assert.Equal((tenant, 0, 0), (tenant, objects.MissingFromNamespace.Count, objects.NotInInventory.Count));

            // A second revision of the same request changes no pod template, so no deployment rolled out twice.
            Assert.Equal(objects.DeploymentReplicas.Keys.Order(StringComparer.Ordinal), objects.ReplicaSetOwners.Values.Order(StringComparer.Ordinal));
            Assert.Equal((tenant, objects.DesiredPods), (tenant, objects.Pods));
        }
    });

    private static string Tenant(int i) => "replica-t" + i.ToString(CultureInfo.InvariantCulture);

    private static string OwnerPrefix(ServerProcess server) => $"{Environment.MachineName}/{server.ProcessId}/";

    private static async Task<string> DeployAsync(ServerProcess server, string tenant)
    {
        var (status, body) = await server.SendAsync(HttpMethod.Post, $"/api/v1/tenants/{tenant}/deploy");
        Assert.True(status == HttpStatusCode.Accepted, $"POST /tenants/{tenant}/deploy on {server.Name} answered {(int)status}: {body.ToJsonString()}");
        return body["deployment_id"]!.GetValue<string>();
    }
}
