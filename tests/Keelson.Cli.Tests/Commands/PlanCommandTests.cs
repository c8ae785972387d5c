using System.Text.Json;
using Keelson.Testing;

namespace Keelson.Cli.Tests.Commands;

public sealed class PlanCommandTests
{
    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public async Task Every_example_plans_as_a_table(string path)
    {
        var (exit, output, error) = await Cli.Run("plan", path);

        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Contains("Components", output, StringComparison.Ordinal);
        Assert.Contains("Node pools", output, StringComparison.Ordinal);
        Assert.Contains("All together", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal);
    }

    public static TheoryData<string> ExampleFiles() => [.. Repo.Examples];

    [Fact]
    public async Task Json_output_carries_components_pools_and_cost()
    {
        var (exit, output, _) = await Cli.Run("plan", Repo.File("examples", "ai-call-center.yaml"), "--output", "json");

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("ai-call-center-prod", root.GetProperty("tenant").GetString());
        Assert.Equal("medium", root.GetProperty("preset").GetString());
        Assert.Equal(7, root.GetProperty("components").GetArrayLength());
        var callbot = root.GetProperty("components")[0];
        Assert.Equal("gpu-t4", callbot.GetProperty("pool").GetString());
        Assert.Equal(100, callbot.GetProperty("sessions").GetInt32());
        var cost = root.GetProperty("monthlyCost");
        Assert.True(cost.GetProperty("optimisedUsd").GetDouble() < cost.GetProperty("onDemandUsd").GetDouble());
        Assert.All(root.GetProperty("pools").EnumerateArray(), p => Assert.True(p.GetProperty("nodes").GetInt32() >= p.GetProperty("lowerBound").GetInt32()));
    }

    [Fact]
    public async Task Every_output_says_why_each_pool_has_its_nodes()
    {
        const string Why = "13 nodes; lower bound 11 (memory); 2 more because pod shapes leave room no pod fits";
        var path = Repo.File("examples", "ai-call-center.yaml");
        var (_, json, _) = await Cli.Run("plan", path, "-o", "json");
        var (_, yaml, _) = await Cli.Run("plan", path, "-o", "yaml");
        var (_, table, _) = await Cli.Run("plan", path);

        using var doc = JsonDocument.Parse(json);
        var general = doc.RootElement.GetProperty("pools").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "general");
        Assert.Equal("memory", general.GetProperty("lowerBoundBy").GetString());
        Assert.StartsWith(Why, general.GetProperty("nodesReason").GetString(), StringComparison.Ordinal);
        Assert.Contains("lowerBoundBy: memory", yaml, StringComparison.Ordinal);
        Assert.Contains("nodesReason: '" + Why, yaml, StringComparison.Ordinal);
        Assert.Contains("Why these nodes", table, StringComparison.Ordinal);
        Assert.Contains("11 (memory)", table, StringComparison.Ordinal);
        Assert.Contains("13 nodes; lower bound 11 (memory); 2 more because pod shapes", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Yaml_output_has_the_same_content_as_json()
    {
        var (_, json, _) = await Cli.Run("plan", Repo.File("examples", "restaurant.yaml"), "-o", "json");
        var (exit, yaml, _) = await Cli.Run("plan", Repo.File("examples", "restaurant.yaml"), "-o", "yaml");

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(json);
        Assert.Contains("tenant: restaurant-system", yaml, StringComparison.Ordinal);
        Assert.Contains($"onDemandUsd: {doc.RootElement.GetProperty("monthlyCost").GetProperty("onDemandUsd").GetDouble().ToString(System.Globalization.CultureInfo.InvariantCulture)}", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Same_stack_gives_byte_identical_output()
    {
        var first = await Cli.Run("plan", Repo.File("examples", "autus-pipeline.yaml"), "-o", "json");
        var second = await Cli.Run("plan", Repo.File("examples", "autus-pipeline.yaml"), "-o", "json");

        Assert.Equal(first.Out, second.Out);
    }

    [Fact]
    public async Task Bad_file_exits_2_with_located_errors_and_no_output()
    {
        using var file = new TempFile("metadata:\n  tenant: x\ncomponents:\n  - name: a\n    kind: servce\n");

        var (exit, output, error) = await Cli.Run("plan", file.Path);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains($"{file.Path}:5:11: error KS005: components[0].kind: 'servce' is not allowed (did you mean 'service'?)", error, StringComparison.Ordinal);
        Assert.Contains("1 error(s); nothing was produced.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_file_exits_2()
    {
        var (exit, _, error) = await Cli.Run("plan", "no-such-stack.yaml");

        Assert.Equal(2, exit);
        Assert.Contains("no-such-stack.yaml:1:1: error KS009", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cluster_override_replans_on_another_profile()
    {
        var (exit, output, _) = await Cli.Run("plan", Repo.File("examples", "restaurant.yaml"), "--cluster", "ncp", "-o", "json");

        Assert.Equal(0, exit);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal("ncp", doc.RootElement.GetProperty("cluster").GetProperty("name").GetString());
        Assert.All(doc.RootElement.GetProperty("components").EnumerateArray(), c => Assert.Equal("worker", c.GetProperty("pool").GetString()));
    }

    [Fact]
    public async Task Unknown_cluster_override_is_bad_input()
    {
        var (exit, _, error) = await Cli.Run("plan", Repo.File("examples", "restaurant.yaml"), "--cluster", "gke");

        Assert.Equal(2, exit);
        Assert.Contains("neither a built-in profile (aws-general, aws-gpu, ncp) nor a file", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_output_format_is_a_usage_error()
    {
        var (exit, _, error) = await Cli.Run("plan", Repo.File("examples", "restaurant.yaml"), "-o", "xml");

        Assert.Equal(2, exit);
        Assert.Contains("xml", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unplannable_stack_exits_2_naming_the_component()
    {
        using var file = new TempFile("metadata: {tenant: x}\ncomponents:\n  - {name: big, kind: service, image: example.com/b:1, resources: {requests: {cpu: \"64\"}}}\n");

        var (exit, _, error) = await Cli.Run("plan", file.Path);

        Assert.Equal(2, exit);
        Assert.Contains($"{file.Path}:3:5: error KP001: components[0]: a pod requesting 64 CPU", error, StringComparison.Ordinal);
    }
}

/// <summary>Inputs at the edges of the number ranges end in a located error and exit 2, never a crash or a wrong plan.</summary>
public sealed class ExtremeInputTests
{
    [Theory]
    [InlineData("{name: b, kind: ai-service, service: chatbot, arrivalsPerHour: 100, handleTimeSeconds: 60, serviceLevel: {percent: 100%}}", "components[0].serviceLevel.percent")]
    [InlineData("{name: w, kind: worker, image: example.com/w:1, queue: {name: q, type: redis, peakLength: 99999999999}}", "components[0].queue.peakLength")]
    [InlineData("{name: j, kind: job, image: example.com/j:1, deadline: 99999999999d}", "components[0].deadline")]
    [InlineData("{name: c, kind: cronjob, image: example.com/j:1, schedule: \"99999999999 * * * *\"}", "components[0].schedule")]
    [InlineData("{name: b, kind: ai-service, service: chatbot, arrivalsPerHour: 1e15, handleTimeSeconds: 60}", "components[0].arrivalsPerHour")]
    [InlineData("{name: s, kind: service, image: example.com/s:1, requestsPerSecond: 2000000, requestsPerSecondPerReplica: 0.001}", "components[0]")]
    public async Task Out_of_range_numbers_are_located_errors(string component, string path)
    {
        using var file = new TempFile($"metadata: {{tenant: t}}\ncomponents:\n  - {component}\n");

        var (exit, output, error) = await Cli.Run("plan", file.Path);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains($": {path}: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("internal error", error, StringComparison.Ordinal);
    }
}
