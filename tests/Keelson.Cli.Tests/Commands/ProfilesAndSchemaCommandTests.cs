using Keelson.Testing;

namespace Keelson.Cli.Tests.Commands;

public sealed class ProfilesAndSchemaCommandTests
{
    [Fact]
    public async Task Profiles_lists_every_built_in_profile()
    {
        var (exit, output, _) = await Cli.Run("profiles");

        Assert.Equal(0, exit);
        Assert.Equal(["aws-general", "aws-gpu", "ncp"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]));
    }

    [Fact]
    public async Task A_printed_profile_can_be_used_as_a_cluster_file()
    {
        var (_, yaml, _) = await Cli.Run("profiles", "aws-gpu");
        using var file = new TempFile(yaml.Replace("name: aws-gpu", "name: my-gpu", StringComparison.Ordinal));

        var (exit, output, error) = await Cli.Run("plan", Repo.File("examples", "quant-platform.yaml"), "--cluster", file.Path, "-o", "json");

        Assert.True(exit == 0, error);
        Assert.Contains("\"name\": \"my-gpu\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Schema_command_prints_the_committed_schema()
    {
        var (exit, output, _) = await Cli.Run("schema");

        Assert.Equal(0, exit);
        Assert.Equal(await File.ReadAllTextAsync(Repo.File("schemas", "stack.schema.json")), output);
    }
}
