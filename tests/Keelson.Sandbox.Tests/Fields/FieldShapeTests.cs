using System.Text.Json.Nodes;
using Keelson.Sandbox.Fields;

namespace Keelson.Sandbox.Tests.Fields;

public class FieldShapeTests
{
    [Fact]
    public void Values_do_not_change_the_shape_but_fields_list_keys_and_scalar_items_do()
    {
        var ready = Shape("""{"status":{"replicas":1,"conditions":[{"type":"Ready","status":"False","reason":"Starting"}]}}""");
        Assert.Equal(ready, Shape("""{"status":{"replicas":3,"conditions":[{"type":"Ready","status":"True","reason":"Up"}]}}"""));

        Assert.NotEqual(ready, Shape("""{"status":{"replicas":1,"conditions":[{"type":"Available","status":"False","reason":"Starting"}]}}"""));
        Assert.NotEqual(ready, Shape("""{"status":{"replicas":1,"conditions":[{"type":"Ready","status":"False"}]}}"""));
        Assert.NotEqual(ready, Shape("""{"status":{"replicas":1,"readyReplicas":1,"conditions":[{"type":"Ready","status":"False","reason":"Starting"}]}}"""));
        Assert.NotEqual(Shape("""{"metadata":{"finalizers":["a"]}}"""), Shape("""{"metadata":{"finalizers":["b"]}}"""));
        Assert.Equal(Shape("""{"status":{"phase":"Running"}}"""), Shape("""{"status":{"phase":"Running","reason":null}}"""));
    }

    [Fact]
    public void Objects_of_one_shape_have_one_field_set()
    {
        const string A = """{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"app":"a"}},"spec":{"containers":[{"name":"web","image":"a:1","ports":[{"containerPort":80}]}]}}""";
        const string B = """{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"app":"b"}},"spec":{"containers":[{"name":"web","image":"b:2","ports":[{"containerPort":80}]}]}}""";
        const string C = """{"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"app":"b"}},"spec":{"containers":[{"name":"web","image":"b:2","ports":[{"containerPort":8080}]}]}}""";
        Assert.Equal(Shape(A), Shape(B));
        Assert.Equal(FieldSets.Existing("Pod", Parse(A)).ToString(), FieldSets.Existing("Pod", Parse(B)).ToString());
        Assert.NotEqual(Shape(B), Shape(C));
        Assert.NotEqual(FieldSets.Existing("Pod", Parse(B)).ToString(), FieldSets.Existing("Pod", Parse(C)).ToString());
    }

    private static string Shape(string json) => FieldShape.Of(Parse(json));

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
