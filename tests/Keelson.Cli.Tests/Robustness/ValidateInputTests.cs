using Keelson.Cli.Tests.Commands;
using Keelson.Testing;

namespace Keelson.Cli.Tests.Robustness;

/// <summary>validate's answers to empty and missing input, configuration ids, and values with line breaks, end to end.</summary>
public sealed class ValidateInputTests
{
    [Theory]
    [InlineData("")]
    [InlineData("---\n# nothing\n")]
    public async Task Empty_standard_input_exits_2_with_input_empty(string text)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await KeelsonCli.RunAsync(["validate", "-", "-o", "json"], stdout, stderr, CancellationToken.None, new StringReader(text));

        Assert.Equal(2, exit);
        Assert.Contains("\"id\": \"input-empty\"", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"valid\": false", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_path_exits_2_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"keelson-missing-{Guid.NewGuid():N}.yaml");

        var (exit, output, _) = await Commands.Cli.Run("validate", missing);

        Assert.Equal(2, exit);
        Assert.Contains(missing, output, StringComparison.Ordinal);
        Assert.Contains("input-unreadable: no such file or directory", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Config_may_set_capacity_without_a_cluster()
    {
        using var config = new TempFile("checks:\n  capacity: warning\n  container-ephemeral-storage: info\n");

        var (exit, _, error) = await Commands.Cli.Run("validate", Repo.File("tests", "Keelson.Validation.Tests", "corpus", "45-clean-web-stack.yaml"), "--config", config.Path);

        Assert.Equal("", error);
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task A_stack_value_with_a_newline_stays_on_one_error_line()
    {
        using var stack = new TempFile("metadata: {tenant: \"a\\nb\"}\ncomponents:\n  - {name: api, kind: service, image: 'x:1'}\n");

        var (exit, _, error) = await Commands.Cli.Run("plan", stack.Path);

        Assert.Equal(2, exit);
        var lines = error.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{stack.Path}:1:", lines[0], StringComparison.Ordinal);
        Assert.Contains("a\\nb", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_given_twice_is_a_finding_on_its_object_with_exit_1()
    {
        var (exit, output, error) = await Commands.Cli.Run("validate", Repo.File("tests", "Keelson.Validation.Tests", "regressions", "06-duplicate-keys.yaml"), "-o", "json");

        Assert.Equal("", error);
        Assert.Equal(1, exit);
        Assert.Contains("\"object\": \"Deployment/app/api\"", output, StringComparison.Ordinal);
        Assert.Contains("key 'replicas' is given twice", output, StringComparison.Ordinal);
    }
}
