using Keelson.Rendering.Output;
using Keelson.Testing;

namespace Keelson.Cli.Tests.Commands;

public sealed class RenderCommandTests
{
    [Fact]
    public async Task Yaml_goes_to_standard_output_and_reads_back()
    {
        var (exit, output, error) = await Cli.Run("render", Repo.File("examples", "restaurant.yaml"));

        Assert.True(exit == 0, error);
        var objects = ManifestYaml.Read(output);
        Assert.Equal("Namespace", ((k8s.Models.V1Namespace)objects[0]).Kind);
        Assert.Equal(File.ReadAllText(Repo.File("tests", "Keelson.Rendering.Tests", "golden", "restaurant.yaml")), output);
    }

    [Fact]
    public async Task Tree_is_written_to_the_directory()
    {
        var dir = Directory.CreateTempSubdirectory("keelson-render-").FullName;
        try
        {
            var (exit, _, error) = await Cli.Run("render", Repo.File("examples", "saga-commerce.yaml"), "-o", dir, "--format", "tree");

            Assert.True(exit == 0, error);
            Assert.True(File.Exists(Path.Combine(dir, "namespace.yaml")));
            Assert.True(File.Exists(Path.Combine(dir, "infrastructure", "kafka", "kafka-statefulset.yaml")));
            Assert.True(File.Exists(Path.Combine(dir, "scripts", "deploy.sh")));
            Assert.Contains("wrote", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Json_is_one_list_file_in_the_directory()
    {
        var dir = Directory.CreateTempSubdirectory("keelson-render-").FullName;
        try
        {
            var (exit, _, _) = await Cli.Run("render", Repo.File("examples", "quant-platform.yaml"), "-o", dir, "-f", "json");

            Assert.Equal(0, exit);
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "quant-platform.json")));
            Assert.Equal("List", doc.RootElement.GetProperty("kind").GetString());
            Assert.True(doc.RootElement.GetProperty("items").GetArrayLength() > 20);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Tree_without_a_directory_is_a_usage_error()
    {
        var (exit, output, error) = await Cli.Run("render", Repo.File("examples", "restaurant.yaml"), "-f", "tree");

        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains("-o DIR", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_stack_renders_nothing()
    {
        using var file = new TempFile("metadata: {tenant: x}\ncomponents: []\n");
        var dir = Path.Combine(Path.GetTempPath(), $"keelson-none-{Guid.NewGuid():N}");

        var (exit, _, error) = await Cli.Run("render", file.Path, "-o", dir);

        Assert.Equal(2, exit);
        Assert.Contains("components: needs at least 1 item(s)", error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir));
    }
}

public sealed class RenderArchiveFormatTests
{
    [Theory]
    [InlineData("helm", "Chart.yaml")]
    [InlineData("helm", "templates/deployment-gateway.yaml")]
    [InlineData("kustomize", "base/kustomization.yaml")]
    [InlineData("kustomize", "overlays/dev/kustomization.yaml")]
    public async Task Directory_formats_write_their_layout(string format, string expectedFile)
    {
        var dir = Directory.CreateTempSubdirectory("keelson-render-").FullName;
        try
        {
            var (exit, _, error) = await Cli.Run("render", Repo.File("examples", "restaurant.yaml"), "-o", dir, "-f", format);

            Assert.True(exit == 0, error);
            Assert.True(File.Exists(Path.Combine(dir, expectedFile)), $"{expectedFile} missing");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

public sealed class ValidateCommandTests
{
    [Fact]
    public async Task Rendered_output_piped_in_validates_clean()
    {
        var (_, yaml, _) = await Cli.Run("render", Repo.File("examples", "saga-commerce.yaml"));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exit = await KeelsonCli.RunAsync(["validate", "-", "-o", "json"], stdout, stderr, CancellationToken.None, new StringReader(yaml));

        Assert.Equal(0, exit);
        var json = System.Text.Json.Nodes.JsonNode.Parse(stdout.ToString())!;
        Assert.True(json["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Errors_exit_1_and_warnings_only_with_fail_on_warning()
    {
        using var bad = new TempFile("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: NodePort, ports: [{port: 80, protocl: TCP}]}\n");
        using var warn = new TempFile("apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {type: NodePort, ports: [{port: 80}]}\n");

        Assert.Equal(1, (await Cli.Run("validate", bad.Path)).Exit);
        Assert.Equal(0, (await Cli.Run("validate", warn.Path)).Exit);
        Assert.Equal(1, (await Cli.Run("validate", warn.Path, "--fail-on", "warning")).Exit);
    }

    [Fact]
    public async Task Unreadable_input_exits_2()
    {
        using var broken = new TempFile("kind: [\n");

        var (exit, output, _) = await Cli.Run("validate", broken.Path);

        Assert.Equal(2, exit);
        Assert.Contains("input-unreadable", output, StringComparison.Ordinal);
    }
}
