using System.Text.Json.Nodes;

namespace Keelson.Cli.Tests.Commands;

/// <summary><c>keelson jobs admit STACK</c>: a stack's queued Jobs admitted on its saved sandbox, without a server.</summary>
public sealed class JobsAdmitCommandTests : IDisposable
{
    private const string Stack = """
        metadata: {tenant: cli-queue}
        cluster: {profile: aws-general}
        queues:
          - name: etl
            flavors: [{pool: general, nominal: {cpu: 4, memory: 16Gi}}]
        components:
          - {name: alpha, kind: job, image: registry.example.com/etl/alpha:1.0, deadline: 1h, queue: etl, resources: {requests: {cpu: "2", memory: 1Gi}, limits: {cpu: "2", memory: 1Gi}}}
          - {name: beta, kind: job, image: registry.example.com/etl/beta:1.0, deadline: 1h, queue: etl, priority: 1, resources: {requests: {cpu: "2", memory: 1Gi}, limits: {cpu: "2", memory: 1Gi}}}
          - {name: gamma, kind: job, image: registry.example.com/etl/gamma:1.0, deadline: 1h, queue: etl, priority: 2, resources: {requests: {cpu: "2", memory: 1Gi}, limits: {cpu: "2", memory: 1Gi}}}
        """;

    private readonly string state = Path.Combine(Path.GetTempPath(), $"keelson-state-{Guid.NewGuid():N}");
    private readonly TempFile stack = new(Stack);

    [Fact]
    public async Task Admit_runs_the_queue_on_the_saved_sandbox_in_priority_order_within_quota()
    {
        var (upExit, _, upError) = await Cli.Run("up", stack.Path, "--state", state, "--fresh");
        Assert.True(upExit == 0, upError);
        Assert.Contains("suspended, waiting for admission in queue etl", upError, StringComparison.Ordinal);

        // One pass: room for two of the three 2-CPU jobs, the higher priorities first.
        var (exit, json, error) = await Cli.Run("jobs", "admit", stack.Path, "--state", state, "-o", "json");
        Assert.True(exit == 0, error);
        var first = JsonNode.Parse(json)!;
        Assert.Equal(["gamma", "beta"], first["admitted"]!.AsArray().Select(a => a!.GetValue<string>()));
        var alpha = first["jobs"]!.AsArray().Single(j => j!["name"]!.GetValue<string>() == "alpha")!;
        Assert.Equal(("waiting", "general: quota exceeded (cpu 6000m > 4000m)"), (alpha["state"]!.GetValue<string>(), alpha["reason"]!.GetValue<string>()));

        // Ten minutes of cluster time on the saved sandbox: alpha gets its turn once one of them finished; all succeed.
        (exit, json, error) = await Cli.Run("jobs", "admit", stack.Path, "--state", state, "--for", "00:10:00", "-o", "json");
        Assert.True(exit == 0, error);
        var second = JsonNode.Parse(json)!;
        Assert.Equal(["alpha"], second["admitted"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(
            [("gamma", "succeeded", 1L), ("beta", "succeeded", 2L), ("alpha", "succeeded", 3L)],
            second["jobs"]!.AsArray().Select(j => (j!["name"]!.GetValue<string>(), j["state"]!.GetValue<string>(), j["admission"]!.GetValue<long>())));
        Assert.All(second["jobs"]!.AsArray(), j => Assert.Equal("general", j!["pool"]!.GetValue<string>()));

        var (tableExit, table, _) = await Cli.Run("jobs", "admit", stack.Path, "--state", state);
        Assert.Equal(0, tableExit);
        Assert.Matches(@"│ alpha +│ etl +│ 0 +│ succeeded │ general │ 3 +│", table);
    }

    [Fact]
    public async Task A_stack_without_queues_is_bad_input()
    {
        using var plain = new TempFile("metadata: {tenant: cli-plain}\ncomponents:\n  - {name: api, kind: service, image: example.com/api:1.0}\n");

        var (exit, _, error) = await Cli.Run("jobs", "admit", plain.Path, "--state", state);

        Assert.Equal(2, exit);
        Assert.Contains("declares no queues; add them under 'queues'", error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        stack.Dispose();
        if (Directory.Exists(state))
        {
            Directory.Delete(state, recursive: true);
        }
    }
}
