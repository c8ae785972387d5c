using Keelson.Testing;

namespace Keelson.Cli.Tests.Commands;

public sealed class ProfilesAndSchemaCommandTests
{
    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await KeelsonCli.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Profiles_lists_every_built_in_profile()
    {
        var (exit, output, _) = await Run("profiles");

        Assert.Equal(0, exit);
        Assert.Equal(["aws-general", "aws-gpu", "ncp"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')[0]));
    }

    [Fact]
    public async Task A_printed_profile_can_be_used_as_a_cluster_file()
    {
        var (_, yaml, _) = await Run("profiles", "aws-gpu");
        var path = Path.Combine(Path.GetTempPath(), $"keelson-profile-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(path, yaml.Replace("name: aws-gpu", "name: my-gpu", StringComparison.Ordinal));
        try
        {
            var (exit, output, error) = await Run("plan", Repo.File("examples", "quant-platform.yaml"), "--cluster", path, "-o", "json");

            Assert.True(exit == 0, error);
            Assert.Contains("\"name\": \"my-gpu\"", output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Schema_command_prints_the_committed_schema()
    {
        var (exit, output, _) = await Run("schema");

        Assert.Equal(0, exit);
        Assert.Equal(await File.ReadAllTextAsync(Repo.File("schemas", "stack.schema.json")), output);
    }
}
