using Keelson.Rendering.Output;
using Keelson.Testing;

namespace Keelson.Rendering.Tests.Output;

/// <summary>
/// Rendered YAML of every example, compared with files a person has read. Rewrite them with
/// <c>./test --update-golden</c> and review the diff before committing.
/// </summary>
public sealed class GoldenTests
{
    [Theory]
    [MemberData(nameof(Examples.Names), MemberType = typeof(Examples))]
    public void Rendered_yaml_matches_the_golden_file(string example)
    {
        var yaml = ManifestYaml.Documents(Examples.Render(example).Objects.Select(o => o.Resource));
        var path = Repo.File("tests", "Keelson.Rendering.Tests", "golden", example);
        if (Environment.GetEnvironmentVariable("KEELSON_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, yaml);
        }

        Assert.True(File.Exists(path), $"{path} is missing; run ./test --update-golden and review it");
        Assert.Equal(File.ReadAllText(path), yaml);
    }
}
