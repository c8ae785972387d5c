using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Rendering.Output;
using YamlDotNet.RepresentationModel;

namespace Keelson.Rendering.Tests.Output;

public sealed class HelmLayoutTests
{
    [Theory]
    [MemberData(nameof(Examples.Names), MemberType = typeof(Examples))]
    public void Chart_with_default_values_yields_the_plain_yaml_objects(string example)
    {
        var manifest = Examples.Render(example);
        var files = HelmLayout.Files(manifest);
        var values = Values(files);

        var rendered = files.Where(f => f.Path.StartsWith("templates/", StringComparison.Ordinal) && f.Path.EndsWith(".yaml", StringComparison.Ordinal))
            .SelectMany(f => ManifestYaml.Read(HelmSubset.Render(f.Content, values)))
            .Cast<IKubernetesObject<V1ObjectMeta>>()
            .Select(o => ManifestYaml.Document(o))
            .Order(StringComparer.Ordinal);
        var expected = manifest.Objects.Select(o => ManifestYaml.Document(o.Resource)).Order(StringComparer.Ordinal);

        Assert.Equal(expected, rendered);
    }

    [Fact]
    public void Values_hold_replicas_images_resources_autoscaling_and_hosts()
    {
        var values = Values(HelmLayout.Files(Examples.Render("restaurant.yaml")));

        Assert.Equal(3, values["gateway"]!["replicas"]!.GetValue<long>());
        Assert.Equal("registry.example.com/restaurant/gateway:10.2.0", values["gateway"]!["image"]!.GetValue<string>());
        Assert.Equal("100m", values["gateway"]!["resources"]!["requests"]!["cpu"]!.GetValue<string>());
        Assert.Equal((2L, 10L), (values["gateway"]!["autoscaling"]!["minReplicas"]!.GetValue<long>(), values["gateway"]!["autoscaling"]!["maxReplicas"]!.GetValue<long>()));
        Assert.Equal("api.restaurant.local", values["gateway"]!["hosts"]!["primary"]!.GetValue<string>());
        Assert.True(values["monitoring"]!["enabled"]!.GetValue<bool>());
    }

    [Fact]
    public void Switching_a_flag_off_drops_its_objects()
    {
        var files = HelmLayout.Files(Examples.Render("restaurant.yaml"));
        var values = Values(files);
        values["ingress"]!["enabled"] = false;
        values["gateway"]!["autoscaling"]!["enabled"] = false;
        values["gateway"]!["replicas"] = 5;

        var objects = files.Where(f => f.Path.StartsWith("templates/", StringComparison.Ordinal) && f.Path.EndsWith(".yaml", StringComparison.Ordinal))
            .SelectMany(f => ManifestYaml.Read(HelmSubset.Render(f.Content, values))).ToList();

        Assert.DoesNotContain(objects, o => o is V1Ingress);
        Assert.DoesNotContain(objects, o => o is V2HorizontalPodAutoscaler h && h.Metadata.Name == "gateway");
        Assert.Equal(5, objects.OfType<V1Deployment>().Single(d => d.Metadata.Name == "gateway").Spec.Replicas);
    }

    [Fact]
    public void Chart_metadata_is_helm_v2_with_notes_and_a_values_schema()
    {
        var files = HelmLayout.Files(Examples.Render("quant-platform.yaml")).ToDictionary(f => f.Path, f => f.Content);

        Assert.Contains("apiVersion: v2", files["Chart.yaml"], StringComparison.Ordinal);
        Assert.Contains("name: quant-platform", files["Chart.yaml"], StringComparison.Ordinal);
        Assert.Contains("Route: https://quant.example.com", files["templates/NOTES.txt"], StringComparison.Ordinal);
        var schema = JsonNode.Parse(files["values.schema.json"])!;
        Assert.Equal("integer", schema["properties"]!["api"]!["properties"]!["replicas"]!["type"]!.GetValue<string>());
        Assert.False(schema["additionalProperties"]!.GetValue<bool>());
    }

    [Fact]
    public void Templates_stay_inside_the_subset()
    {
        // The evaluator throws on anything outside the subset; a foreign construct proves that it does.
        Assert.Throws<InvalidOperationException>(() => HelmSubset.Render("a: {{ include \"x\" . }}", new JsonObject()));
        Assert.Throws<InvalidOperationException>(() => HelmSubset.Render("{{ range .Values.list }}x{{ end }}", new JsonObject()));
    }

    private static JsonObject Values(IReadOnlyList<OutputFile> files)
    {
        var yaml = files.Single(f => f.Path == "values.yaml").Content;
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (JsonObject)ToJson(stream.Documents[0].RootNode)!;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray([.. seq.Children.Select(ToJson)]),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s when s.Value is "true" or "false" => JsonValue.Create(s.Value == "true"),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } s when long.TryParse(s.Value, out var n) => JsonValue.Create(n),
        YamlScalarNode s => JsonValue.Create(s.Value),
        _ => null,
    };
}
