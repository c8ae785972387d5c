using k8s;
using k8s.Models;
using Keelson.Rendering.Output;

namespace Keelson.Rendering.Tests.Output;

public sealed class RoundTripTests
{
    [Theory]
    [MemberData(nameof(Examples.Names), MemberType = typeof(Examples))]
    public void Every_object_reads_back_into_its_type_without_loss(string example)
    {
        var objects = Examples.Render(example).Objects.Select(o => o.Resource).ToList();
        var yaml = ManifestYaml.Documents(objects);

        var read = ManifestYaml.Read(yaml);

        Assert.Equal(objects.Count, read.Count);
        for (var i = 0; i < objects.Count; i++)
        {
            Assert.Equal(objects[i].GetType(), read[i].GetType());
            var again = ManifestYaml.Document((IKubernetesObject<V1ObjectMeta>)read[i]);
            Assert.Equal(ManifestYaml.Document(objects[i]), again);
        }
    }

    [Theory]
    [MemberData(nameof(Examples.Names), MemberType = typeof(Examples))]
    public void Json_list_holds_the_same_objects(string example)
    {
        var objects = Examples.Render(example).Objects.Select(o => o.Resource).ToList();

        var list = KubernetesJson.Deserialize<System.Text.Json.Nodes.JsonObject>(ManifestYaml.JsonList(objects));

        Assert.Equal("List", (string?)list["kind"]);
        var items = list["items"]!.AsArray();
        Assert.Equal(objects.Count, items.Count);
        Assert.Equal(objects.Select(o => $"{o.Kind}/{o.Metadata.Name}"), items.Select(i => $"{(string?)i!["kind"]}/{(string?)i["metadata"]!["name"]}"));
    }
}
