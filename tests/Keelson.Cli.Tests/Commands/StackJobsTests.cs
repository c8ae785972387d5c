using System.Text.Json.Nodes;

namespace Keelson.Cli.Tests.Commands;

/// <summary>
/// <c>keelson jobs submit|list|show|cancel --stack STACK</c>: a stack's own queues on its saved sandbox, without a
/// server; every command is a separate invocation, so what one queued the next reads back from the saved state.
/// </summary>
public sealed class StackJobsTests : IDisposable
{
    private const string Stack = """
        metadata: {tenant: cli-stack-jobs}
        cluster: {profile: aws-general}
        queues:
          - name: etl
            flavors: [{pool: general, nominal: {cpu: 4, memory: 16Gi}}]
          - name: adhoc
            flavors: [{pool: general, nominal: {cpu: 2, memory: 8Gi}}]
        components:
          - {name: api, kind: service, image: registry.example.com/etl/api:1.0}
        """;

    private readonly string state = Path.Combine(Path.GetTempPath(), $"keelson-state-{Guid.NewGuid():N}");
    private readonly TempFile stack = new(Stack);

    [Fact]
    public async Task Submitted_jobs_persist_in_the_sandbox_and_are_admitted_within_quota_listed_shown_and_cancelled()
    {
        await UpAsync();

        var (exit, json, error) = await Jobs("submit", "--name", "nightly", "-q", "etl", "--image", "busybox:1.36", "--cpu", "2", "--memory", "1Gi",
            "-e", "MODE=full", "--priority", "5", "-o", "json", "--", "sh", "-c", "sleep 60");
        Assert.True(exit == 0, error);
        var job = JsonNode.Parse(json)!.AsObject();
        Assert.False(job.ContainsKey("id"));
        Assert.Equal(("nightly", "etl", "pending", "2", "1Gi", 5), (S(job["name"]), S(job["queue"]), S(job["state"]), S(job["resources"]!["cpu"]), S(job["resources"]!["memory"]), job["priority"]!.GetValue<int>()));
        Assert.Equal(["sh", "-c", "sleep 60"], job["command"]!.AsArray().Select(c => S(c)));
        Assert.Equal("full", S(job["env"]!["MODE"]));
        Assert.Contains("keelson jobs admit", error, StringComparison.Ordinal);

        // Two more 2-CPU jobs in the 4-CPU queue: the third must wait for quota.
        foreach (var (name, priority) in new[] { ("second", "3"), ("third", "0") })
        {
            (exit, _, error) = await Jobs("submit", "--name", name, "-q", "etl", "--image", "busybox:1.36", "--cpu", "2", "--memory", "1Gi", "--priority", priority);
            Assert.True(exit == 0, error);
        }

        // A fresh invocation reads all three back from the saved sandbox, in the server's list format (no ID column).
        var (listExit, table, listError) = await Jobs("list");
        Assert.True(listExit == 0, listError);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches("^NAME +QUEUE +STATE +FLAVOR +ATTEMPT +REASON$", lines[0]);
        Assert.Equal(["nightly", "second", "third"], lines.Skip(1).Select(l => l.Split(' ')[0]).Order(StringComparer.Ordinal));
        Assert.All(lines.Skip(1), l => Assert.Matches(@"^\S+ +etl +pending +- +0", l));

        var (admitExit, _, admitError) = await Cli.Run("jobs", "admit", stack.Path, "--state", state);
        Assert.True(admitExit == 0, admitError);

        (exit, json, error) = await Jobs("list", "-o", "json");
        Assert.True(exit == 0, error);
        var states = JsonNode.Parse(json)!["jobs"]!.AsArray().ToDictionary(j => S(j!["name"]), j => (S(j!["state"]), j["flavor"] is null ? null : S(j["flavor"]), j["reason"] is null ? null : S(j["reason"])));
        Assert.Matches("^(admitted|running)$", states["nightly"].Item1);
        Assert.Matches("^(admitted|running)$", states["second"].Item1);
        Assert.Equal("general", states["nightly"].Item2);
        Assert.Equal(("pending", null, "general: quota exceeded (cpu 6000m > 4000m)"), states["third"]);

        (exit, json, _) = await Jobs("list", "--state", "pending", "-o", "json");
        Assert.Equal(0, exit);
        Assert.Equal(["third"], JsonNode.Parse(json)!["jobs"]!.AsArray().Select(j => S(j!["name"])));

        var (showExit, shown, _) = await Jobs("show", "nightly");
        Assert.Equal(0, showExit);
        Assert.Matches("^job nightly in queue etl: (admitted|running)\n", shown);
        Assert.Contains("per pod:   cpu 2, memory 1Gi; parallelism 1, completions 1, priority 5", shown, StringComparison.Ordinal);
        Assert.Contains("kubernetes: job/nightly -n ", shown, StringComparison.Ordinal);
        Assert.Contains(" on pool general", shown, StringComparison.Ordinal);
        Assert.Contains("attempt 1: general admitted ", shown, StringComparison.Ordinal);

        var (cancelExit, cancelled, cancelError) = await Jobs("cancel", "nightly");
        Assert.True(cancelExit == 0, cancelError);
        Assert.StartsWith("job nightly in queue etl: cancelled\n", cancelled, StringComparison.Ordinal);

        // The cancellation was saved: the Job is gone, and its quota lets the waiting job in on the next pass.
        (exit, json, _) = await Jobs("list", "-o", "json");
        Assert.Equal(0, exit);
        Assert.Equal(["second", "third"], JsonNode.Parse(json)!["jobs"]!.AsArray().Select(j => S(j!["name"])).Order(StringComparer.Ordinal));
        var (showGone, _, goneError) = await Jobs("show", "nightly");
        Assert.Equal(KeelsonCli.BadInput, showGone);
        Assert.Contains("has no queued Job named nightly; its queued Jobs: second, third", goneError, StringComparison.Ordinal);

        (admitExit, json, admitError) = await Cli.Run("jobs", "admit", stack.Path, "--state", state, "-o", "json");
        Assert.True(admitExit == 0, admitError);
        Assert.Equal(["third"], JsonNode.Parse(json)!["admitted"]!.AsArray().Select(a => S(a)));
    }

    [Theory]
    [InlineData("--queue", "--queue: unknown queue \"nope\"; the tenant's queues: etl, adhoc", "-q", "nope")]
    [InlineData("--image", "--image: \"busybox\" has no tag or digest", "--image", "busybox")]
    [InlineData("--cpu", "more than any node can hold; the largest node of cluster aws-general for it is m6i.2xlarge in pool general (8 vCPU, 32Gi, 0 GPU)", "--cpu", "64")]
    [InlineData("--gpu-type", "--gpu-type: cluster aws-general has no GPU nodes; got \"T4\"", "--gpu", "1", "--gpu-type", "T4")]
    [InlineData("--parallelism", "--parallelism: must be from 1 to 1000; got 5000", "--parallelism", "5000")]
    public async Task Bad_input_names_the_option_exits_2_and_queues_nothing(string option, string expected, params string[] bad)
    {
        await UpAsync();
        var args = new Dictionary<string, string> { ["--name"] = "bad", ["-q"] = "etl", ["--image"] = "busybox:1.36", ["--cpu"] = "1", ["--memory"] = "1Gi" };
        for (var i = 0; i < bad.Length; i += 2)
        {
            args[bad[i]] = bad[i + 1];
        }

        var (exit, output, error) = await Jobs(["submit", .. args.SelectMany(a => new[] { a.Key, a.Value })]);

        Assert.Equal(KeelsonCli.BadInput, exit);
        Assert.Empty(output);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains(option, error, StringComparison.Ordinal);
        Assert.Contains("nothing queued", error, StringComparison.Ordinal);
        var (listExit, json, _) = await Jobs("list", "-o", "json");
        Assert.Equal(0, listExit);
        Assert.Empty(JsonNode.Parse(json)!["jobs"]!.AsArray());
    }

    [Fact]
    public async Task A_name_already_queued_is_refused_and_the_first_job_is_kept()
    {
        await UpAsync();
        var (exit, _, error) = await Jobs("submit", "--name", "once", "-q", "adhoc", "--image", "busybox:1.36", "--cpu", "1", "--memory", "1Gi");
        Assert.True(exit == 0, error);

        (exit, _, error) = await Jobs("submit", "--name", "once", "-q", "etl", "--image", "busybox:1.37", "--cpu", "1", "--memory", "1Gi");

        Assert.Equal(KeelsonCli.BadInput, exit);
        Assert.Contains("--name: ", error, StringComparison.Ordinal);
        Assert.Contains("already has a queued Job (pending) named once", error, StringComparison.Ordinal);
        var (_, json, _) = await Jobs("show", "once", "-o", "json");
        Assert.Equal(("adhoc", "busybox:1.36"), (S(JsonNode.Parse(json)!["queue"]), S(JsonNode.Parse(json)!["image"])));
    }

    [Fact]
    public async Task A_stack_that_was_not_brought_up_is_reported()
    {
        var (exit, _, error) = await Jobs("list");

        Assert.Equal(KeelsonCli.Findings, exit);
        Assert.Contains("has not been delivered to", error, StringComparison.Ordinal);
        Assert.Contains("run keelson up first", error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        stack.Dispose();
        if (Directory.Exists(state))
        {
            Directory.Delete(state, recursive: true);
        }
    }

    private static string S(JsonNode? node) => node!.GetValue<string>();

    private async Task UpAsync()
    {
        var (exit, _, error) = await Cli.Run("up", stack.Path, "--state", state, "--fresh");
        Assert.True(exit == 0, error);
    }

    private Task<(int Exit, string Out, string Err)> Jobs(params string[] args)
    {
        // The stack options go before "--" so that everything after it stays the container's command.
        var split = Array.IndexOf(args, "--");
        string[] stackOptions = ["--stack", stack.Path, "--state-dir", state];
        string[] all = split < 0
            ? ["jobs", .. args, .. stackOptions]
            : ["jobs", .. args[..split], .. stackOptions, .. args[split..]];
        return Cli.Run(all);
    }
}
