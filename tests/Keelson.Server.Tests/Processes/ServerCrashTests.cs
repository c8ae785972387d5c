using System.Net;
using System.Text.Json.Nodes;
using Keelson.Operations;
using Keelson.Operations.Deployments;
using Keelson.Operations.Storage;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace Keelson.Server.Tests.Processes;

[Collection(ServerProcessTests.Name)]
[Trait("Category", "Processes")]
public sealed class ServerCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Virtual seconds per wall second: a fresh stack's pods take tens of virtual seconds to become ready, so verify
    // lasts a few real seconds, long enough to be seen running and killed, short enough for a quick test.
    private const double SandboxSpeed = 8;
    private const string Tenant = "crash-t1";
    private static readonly string[] StepsBeforeVerify = ["validate", "plan", "namespace", "config", "storage", "workloads", "services", "ingress", "monitoring"];
    private ProcessTestbed testbed = null!;

    public async Task InitializeAsync() => testbed = await ProcessTestbed.StartAsync(SandboxSpeed, output);

    public async Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        await testbed.DisposeAsync();
    }

    [Fact]
    public Task A_server_killed_during_verify_is_resumed_by_a_restarted_one_without_duplicate_objects() => testbed.RunAsync(async () =>
    {
        var data = Path.Combine(testbed.Folder, "data");
        var a = await testbed.StartServerAsync("A", data);
        Assert.Equal(HttpStatusCode.Created, (await a.SendAsync(HttpMethod.Post, "/api/v1/tenants/", TenantRequest(Tenant))).Status);
        var (accepted, deployment) = await a.SendAsync(HttpMethod.Post, $"/api/v1/tenants/{Tenant}/deploy");
        Assert.Equal(HttpStatusCode.Accepted, accepted);
        var id = deployment["deployment_id"]!.GetValue<string>();

        var caught = await a.WaitForDeploymentAsync(
            id, d => d["finished"]!.GetValue<bool>() || (StatusOf(d, "workloads") == "succeeded" && StatusOf(d, "verify") == "running"),
            TimeSpan.FromSeconds(60));
        Assert.False(caught["finished"]!.GetValue<bool>(), $"The deployment ended before verify was seen running; slow the sandbox down. {caught.ToJsonString()}");
        var before = TenantObjects.Read(testbed.Facade, Tenant);
        await a.KillAsync();

        // What the crash left in the database: a running deployment, interrupted in verify, leased to the dead replica.
        var runnerA = caught["runner"]!.GetValue<string>();
        Assert.StartsWith($"{Environment.MachineName}/{a.ProcessId}/", runnerA, StringComparison.Ordinal);
        var (left, leftSteps) = await ReadStoredAsync(Path.Combine(data, "demo.db"), id);
        Assert.Equal((DeploymentState.Running, runnerA), (left.State, left.LeaseOwner));
        Assert.Equal((DeploymentStepState.Running, 1), (leftSteps[^1].State, leftSteps[^1].Attempts));
        Assert.Null(before.InventoryRevision);
        output.WriteLine($"killed A during verify; before the kill: {before}");

        var b = await testbed.StartServerAsync("B", data);
        var done = await b.WaitForDeploymentAsync(id, d => d["finished"]!.GetValue<bool>(), TimeSpan.FromSeconds(90));

        Assert.Equal("succeeded", done["status"]!.GetValue<string>());
        Assert.All(StepsBeforeVerify, name => Assert.Equal(("succeeded", 1), (Step(done, name)["status"]!.GetValue<string>(), Step(done, name)["attempts"]!.GetValue<int>())));
        Assert.Equal(("succeeded", 2), (Step(done, "verify")["status"]!.GetValue<string>(), Step(done, "verify")["attempts"]!.GetValue<int>()));
        var runnerB = done["runner"]!.GetValue<string>();
        Assert.NotEqual(runnerA, runnerB);
        Assert.StartsWith($"{Environment.MachineName}/{b.ProcessId}/", runnerB, StringComparison.Ordinal);
        var (_, list) = await b.SendAsync(HttpMethod.Get, $"/api/v1/tenants/{Tenant}/deployments");
        Assert.Equal(id, Assert.Single(list["deployments"]!.AsArray())!["deployment_id"]!.GetValue<string>());

        // B's own log agrees: it started verify again and nothing else.
        Assert.Equal(0, await b.StopAsync());
        Assert.Equal(new LoggedStep(id, Tenant, "verify", 2), Assert.Single(b.LoggedSteps()));

        var after = await TenantObjects.ReadSettledAsync(testbed.Facade, Tenant, TimeSpan.FromSeconds(10));
        output.WriteLine($"after B finished it: {after}");
        Assert.Equal(1, after.InventoryRevision);
        Assert.Empty(after.MissingFromNamespace);
        Assert.Empty(after.NotInInventory);

        // No second rollout: one ReplicaSet per Deployment, the pods those want, and nothing deleted and made again.
        Assert.NotEmpty(after.DeploymentReplicas);
        Assert.Equal(after.DeploymentReplicas.Keys.Order(StringComparer.Ordinal), after.ReplicaSetOwners.Values.Order(StringComparer.Ordinal));
        Assert.Equal(after.DesiredPods, after.Pods);
        Assert.All(before.Uids.Where(u => !u.Key.StartsWith("Event/", StringComparison.Ordinal)), u => Assert.Equal((u.Key, u.Value), (u.Key, after.Uids.GetValueOrDefault(u.Key))));
    });

    /// <summary>The tenant request every process test uses: a small chatbot and speech-to-text stack.</summary>
    internal static JsonObject TenantRequest(string id) => new()
    {
        ["tenant_id"] = id,
        ["name"] = "Process test " + id,
        ["service_requirements"] = new JsonObject { ["chatbot"] = 20, ["stt"] = 10 },
    };

    /// <summary>The named step of a deployment response.</summary>
    internal static JsonNode Step(JsonObject deployment, string name) =>
        deployment["steps"]!.AsArray().FirstOrDefault(s => s!["name"]!.GetValue<string>() == name)
        ?? throw new InvalidOperationException($"No step '{name}' in {deployment.ToJsonString()}");

    // Null until the workflow has written its steps.
    private static string? StatusOf(JsonObject deployment, string name) =>
        deployment["steps"]!.AsArray().FirstOrDefault(s => s!["name"]!.GetValue<string>() == name)?["status"]!.GetValue<string>();

    private static async Task<(DeploymentRecord Deployment, IReadOnlyList<DeploymentStep> Steps)> ReadStoredAsync(string sqlite, string id)
    {
        await using var stores = await OperationsStores.OpenAsync(
            new DatabaseOptions { Provider = DatabaseProvider.Sqlite, Connection = sqlite }, null, null, null, CancellationToken.None);
        var deployment = await stores.Deployments.GetAsync(id, CancellationToken.None) ?? throw new InvalidOperationException($"Deployment {id} is not in {sqlite}.");
        return (deployment, await stores.Deployments.ListStepsAsync(id, CancellationToken.None));
    }
}
