using Keelson.Validation.Loading;

namespace Keelson.Validation.Tests.Loading;

public sealed class ManifestLoaderTests
{
    private static (List<ManifestDocument> Documents, List<Finding> Problems) Parse(string text)
    {
        var documents = new List<ManifestDocument>();
        var problems = new List<Finding>();
        ManifestLoader.Parse(text, "in.yaml", documents, problems);
        return (documents, problems);
    }

    [Fact]
    public void Multi_document_streams_keep_each_objects_line_and_helm_source()
    {
        var (documents, problems) = Parse("---\n# Source: chart/templates/a.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n");

        Assert.Empty(problems);
        Assert.Equal([("a", 3, "chart/templates/a.yaml"), ("b", 9, null)], documents.Select(d => (d.Name, d.Line, d.Source)));
    }

    [Fact]
    public void A_flow_list_continued_at_a_lower_indentation_is_unreadable_input_not_a_crash()
    {
        var (documents, problems) = Parse("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: [{a: b},\n {c: d}]\n");

        Assert.Empty(documents);
        var problem = Assert.Single(problems);
        Assert.Equal(ManifestLoader.UnreadableId, problem.CheckId);
        Assert.Contains("not valid YAML", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lists_expand_into_their_items()
    {
        var (documents, _) = Parse("apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n- {apiVersion: v1, kind: Secret, metadata: {name: b}}\n");

        Assert.Equal(["ConfigMap", "Secret"], documents.Select(d => d.Kind));
    }

    [Fact]
    public void Json_is_read_like_yaml()
    {
        var (documents, _) = Parse("{\"apiVersion\": \"v1\", \"kind\": \"Namespace\", \"metadata\": {\"name\": \"n\"}}");

        Assert.Equal("Namespace/n", $"{documents.Single().Kind}/{documents.Single().Name}");
    }

    [Fact]
    public void Broken_yaml_is_an_unreadable_input_with_its_line()
    {
        var (documents, problems) = Parse("apiVersion: v1\nkind: [\n");

        Assert.Empty(documents);
        Assert.Equal((ManifestLoader.UnreadableId, 3), (problems.Single().CheckId, problems.Single().Line));
    }

    [Fact]
    public async Task Directories_are_read_recursively_in_name_order()
    {
        var dir = Directory.CreateTempSubdirectory("keelson-load-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "sub"));
            await File.WriteAllTextAsync(Path.Combine(dir, "b.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n");
            await File.WriteAllTextAsync(Path.Combine(dir, "sub", "a.json"), "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"a\"}}");
            await File.WriteAllTextAsync(Path.Combine(dir, "notes.txt"), "not a manifest");

            var result = await ManifestLoader.LoadAsync([dir], null, CancellationToken.None);

            Assert.Equal(["b", "a"], result.Documents.Select(d => d.Name));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
