using System.Text.Json;
using Keelson.Testing;

namespace Keelson.Cli.Tests.Commands;

public sealed class SimulateCommandTests
{
    private static readonly string Stack = Repo.File("examples", "ai-call-center.yaml");
    private static readonly string Load = Repo.File("examples", "loads", "call-center-day.yaml");

    [Fact]
    public async Task Prints_replicas_and_nodes_per_hour_sla_pending_time_and_cost()
    {
        var (exit, output, error) = await Cli.Run("simulate", Stack, "--load", Load, "--duration", "6h", "--fail", "node=general-001@2h");

        Assert.True(exit == 0, error);
        Assert.Contains("Ready replicas at the end of each hour", output, StringComparison.Ordinal);
        Assert.Contains("Nodes per pool at the end of each hour", output, StringComparison.Ordinal);
        Assert.Contains("SLA minutes lost:", output, StringComparison.Ordinal);
        Assert.Contains("cost of the period on demand: $", output, StringComparison.Ordinal);
        Assert.Contains("02:00 node general-001 fails (injected)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_has_one_timeline_point_per_step_and_the_summaries()
    {
        var (exit, output, _) = await Cli.Run("simulate", Stack, "--load", Load, "--duration", "2h", "--step", "5m", "--output", "json");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal("call-center weekday", root.GetProperty("load").GetString());
        Assert.Equal(24, root.GetProperty("timeline").GetArrayLength());
        Assert.Equal(7, root.GetProperty("components").GetArrayLength());
        Assert.True(root.GetProperty("costUsd").GetDouble() > 0);
        Assert.True(root.GetProperty("timeline")[0].GetProperty("components").GetProperty("callbot").GetProperty("ready").GetInt32() >= 3);
    }

    [Theory]
    [InlineData("--fail", "general-001@2h", "is not node=NAME@TIME")]
    [InlineData("--fail", "node=nope@2h", "no node 'nope'")]
    [InlineData("--duration", "a day", "is not a duration")]
    [InlineData("--step", "0s", "must be a duration of at least 1s")]
    public async Task Bad_options_exit_2_with_a_clear_message(string option, string value, string message)
    {
        string[] duration = option == "--duration" ? [] : ["--duration", "1h"];
        var (exit, _, error) = await Cli.Run(["simulate", Stack, "--load", Load, .. duration, option, value]);

        Assert.Equal(2, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_load_file_is_reported_with_its_location()
    {
        using var load = new TempFile("curve:\n  \"09:00\": 1\ncomponents:\n  nobody: {scale: 2}\n");
        var (exit, output, error) = await Cli.Run("simulate", Stack, "--load", load.Path);

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains($"{load.Path}:4:3: error KS007: components.nobody: the stack has no component 'nobody'", error, StringComparison.Ordinal);
    }
}
