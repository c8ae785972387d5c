using System.Text.Json.Nodes;
using Keelson.Sandbox.Server.Patching;

namespace Keelson.Sandbox.Server.Tests.Patching;

public sealed class StrategicMergePatchTests
{
    private static JsonNode Apply(string live, string patch) => StrategicMergePatch.Apply(JsonNode.Parse(live), JsonNode.Parse(patch))!;

    [Fact]
    public void Named_list_elements_merge_by_key_and_new_ones_are_appended()
    {
        var result = Apply(
            """{"containers":[{"name":"a","image":"a:1","args":["x"]},{"name":"b","image":"b:1"}]}""",
            """{"$setElementOrder/containers":[{"name":"a"},{"name":"b"},{"name":"c"}],"containers":[{"name":"a","image":"a:2"},{"name":"c","image":"c:1"}]}""");
        Assert.Equal("""{"containers":[{"name":"a","image":"a:2","args":["x"]},{"name":"b","image":"b:1"},{"name":"c","image":"c:1"}]}""", result.ToJsonString());
    }

    [Fact]
    public void Delete_directive_removes_an_element_and_null_removes_a_key()
    {
        var result = Apply(
            """{"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"keep":1,"drop":2}""",
            """{"env":[{"name":"A","$patch":"delete"}],"drop":null}""");
        Assert.Equal("""{"env":[{"name":"B","value":"2"}],"keep":1}""", result.ToJsonString());
    }

    [Fact]
    public void Retain_keys_and_replace_directives_drop_what_the_patch_does_not_name()
    {
        var result = Apply(
            """{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}},"selector":{"a":"1","b":"2"}}""",
            """{"strategy":{"$retainKeys":["type"],"type":"Recreate"},"selector":{"$patch":"replace","c":"3"}}""");
        Assert.Equal("""{"strategy":{"type":"Recreate"},"selector":{"c":"3"}}""", result.ToJsonString());
    }

    [Fact]
    public void Lists_without_a_merge_key_are_replaced_and_primitive_deletions_applied()
    {
        var result = Apply(
            """{"args":["a","b"],"finalizers":["x","y"]}""",
            """{"args":["c"],"$deleteFromPrimitiveList/finalizers":["x"]}""");
        Assert.Equal("""{"args":["c"],"finalizers":["y"]}""", result.ToJsonString());
    }

    [Fact]
    public void Ports_merge_on_container_port_in_pods_and_port_in_services()
    {
        var container = Apply("""{"ports":[{"containerPort":80,"name":"http"}]}""", """{"ports":[{"containerPort":80,"protocol":"TCP"}]}""");
        Assert.Equal("""{"ports":[{"containerPort":80,"name":"http","protocol":"TCP"}]}""", container.ToJsonString());
        var service = Apply("""{"ports":[{"port":80,"targetPort":8080}]}""", """{"ports":[{"port":443,"targetPort":8443}]}""");
        Assert.Equal(2, service["ports"]!.AsArray().Count);
    }
}
