using System.Text.Json.Nodes;
using Keelson.Console.Api;

namespace Keelson.Server.Tests.Console;

public sealed class ManifestObjectTests
{
    private const string Yaml = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: acme
        ---
        # a comment only
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: acme
        """;

    [Fact]
    public void Documents_are_split_on_separator_lines_and_comment_only_documents_are_dropped()
    {
        var documents = ManifestObject.SplitDocuments(Yaml);
        Assert.Equal(2, documents.Count);
        Assert.StartsWith("apiVersion: v1", documents[0], StringComparison.Ordinal);
        Assert.Contains("kind: Deployment", documents[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Objects_are_paired_with_their_documents_and_named_as_the_validator_names_them()
    {
        var list = JsonNode.Parse("""{"kind":"List","items":[{"kind":"Namespace","metadata":{"name":"acme"}},{"kind":"Deployment","metadata":{"name":"web","namespace":"acme"}}]}""")!;
        var objects = ManifestObject.Pair(list, Yaml);
        Assert.Equal(["Namespace/acme", "Deployment/acme/web"], objects.Select(o => o.Reference));
        Assert.Equal(ManifestObject.ClusterWide, objects[0].Namespace);
        Assert.Contains("kind: Deployment", objects[1].Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_that_does_not_match_its_object_is_replaced_by_the_objects_JSON()
    {
        var list = JsonNode.Parse("""{"kind":"List","items":[{"kind":"Service","metadata":{"name":"web","namespace":"acme"}}]}""")!;
        var objects = ManifestObject.Pair(list, Yaml);
        Assert.Contains("\"kind\": \"Service\"", objects[0].Yaml, StringComparison.Ordinal);
    }
}
