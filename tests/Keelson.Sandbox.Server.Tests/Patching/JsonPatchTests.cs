using System.Text.Json.Nodes;
using Keelson.Sandbox.Server.Patching;
using Keelson.Sandbox.Server.Protocol;

namespace Keelson.Sandbox.Server.Tests.Patching;

public sealed class JsonPatchTests
{
    private const string Document = """{"a":{"b":1,"c/d":2,"e~f":3},"list":[1,2,3]}""";

    [Theory]
    [InlineData("""[{"op":"add","path":"/a/x","value":9}]""", """{"a":{"b":1,"c/d":2,"e~f":3,"x":9},"list":[1,2,3]}""")]
    [InlineData("""[{"op":"add","path":"/list/1","value":9}]""", """{"a":{"b":1,"c/d":2,"e~f":3},"list":[1,9,2,3]}""")]
    [InlineData("""[{"op":"add","path":"/list/-","value":9}]""", """{"a":{"b":1,"c/d":2,"e~f":3},"list":[1,2,3,9]}""")]
    [InlineData("""[{"op":"add","path":"/list/3","value":9}]""", """{"a":{"b":1,"c/d":2,"e~f":3},"list":[1,2,3,9]}""")]
    [InlineData("""[{"op":"remove","path":"/a/c~1d"}]""", """{"a":{"b":1,"e~f":3},"list":[1,2,3]}""")]
    [InlineData("""[{"op":"remove","path":"/a/e~0f"}]""", """{"a":{"b":1,"c/d":2},"list":[1,2,3]}""")]
    [InlineData("""[{"op":"remove","path":"/list/0"}]""", """{"a":{"b":1,"c/d":2,"e~f":3},"list":[2,3]}""")]
    [InlineData("""[{"op":"replace","path":"/a/b","value":{"deep":true}}]""", """{"a":{"b":{"deep":true},"c/d":2,"e~f":3},"list":[1,2,3]}""")]
    [InlineData("""[{"op":"replace","path":"/a/new","value":5}]""", """{"a":{"b":1,"c/d":2,"e~f":3,"new":5},"list":[1,2,3]}""")]
    [InlineData("""[{"op":"replace","path":"/list/2","value":7}]""", """{"a":{"b":1,"c/d":2,"e~f":3},"list":[1,2,7]}""")]
    [InlineData("""[{"op":"move","from":"/a/b","path":"/moved"}]""", """{"a":{"c/d":2,"e~f":3},"list":[1,2,3],"moved":1}""")]
    [InlineData("""[{"op":"move","from":"/list/0","path":"/list/-"}]""", """{"a":{"b":1,"c/d":2,"e~f":3},"list":[2,3,1]}""")]
    [InlineData("""[{"op":"copy","from":"/a","path":"/copy"}]""", """{"a":{"b":1,"c/d":2,"e~f":3},"list":[1,2,3],"copy":{"b":1,"c/d":2,"e~f":3}}""")]
    [InlineData("""[{"op":"test","path":"/a/b","value":1},{"op":"test","path":"/list","value":[1,2,3]}]""", Document)]
    [InlineData("""[{"op":"test","path":"/a/missing","value":null}]""", Document)]
    [InlineData("""[{"op":"replace","path":"","value":{"whole":1}}]""", """{"whole":1}""")]
    public void Operations_apply_as_RFC_6902_says(string patch, string expected)
    {
        var result = JsonPatch.Apply(JsonNode.Parse(Document), JsonNode.Parse(patch));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), result?.ToJsonString());
    }

    [Theory]
    [InlineData("""[{"op":"test","path":"/a/b","value":2}]""", "testing value /a/b failed: test failed")]
    [InlineData("""[{"op":"remove","path":"/a/zz"}]""", "Unable to remove nonexistent key: zz: missing value")]
    [InlineData("""[{"op":"add","path":"/nope/x","value":1}]""", "add operation does not apply: doc is missing path: \"/nope/x\": missing value")]
    [InlineData("""[{"op":"replace","path":"/nope/x","value":1}]""", "replace operation does not apply: doc is missing path: /nope/x: missing value")]
    [InlineData("""[{"op":"add","path":"/list/9","value":1}]""", "Unable to access invalid index: 9: invalid index referenced")]
    [InlineData("""[{"op":"replace","path":"/list/01","value":1}]""", "Unable to access invalid index: 01: invalid index referenced")]
    [InlineData("""[{"op":"copy","from":"/zz","path":"/x"}]""", "copy operation does not apply: doc is missing from path: /zz: missing value")]
    [InlineData("""[{"op":"add","path":"/x"}]""", "add operation missing value: missing value")]
    [InlineData("""[{"op":"jump","path":"/x"}]""", "Unexpected kind: jump")]
    [InlineData("""[{"op":"add","path":"x","value":1}]""", "JSON pointer must be empty or start with a \"/\": x")]
    public void An_operation_that_does_not_apply_is_Invalid_and_leaves_the_document(string patch, string message)
    {
        var document = JsonNode.Parse(Document);
        var error = Assert.Throws<ApiException>(() => JsonPatch.Apply(document, JsonNode.Parse(patch)));
        Assert.Equal((422, "Invalid", message), (error.Code, error.Reason, error.Message));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Document), document));
    }

    [Theory]
    [InlineData("""{"op":"add","path":"/x","value":1}""")]
    [InlineData("""[1,2]""")]
    public void A_patch_that_is_not_a_list_of_operations_is_a_BadRequest(string patch) =>
        Assert.Equal(400, Assert.Throws<ApiException>(() => JsonPatch.Apply(JsonNode.Parse(Document), JsonNode.Parse(patch))).Code);

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("/", new[] { "" })]
    [InlineData("/a~1b/c~0d/~01", new[] { "a/b", "c~d", "~1" })]
    public void Pointer_tokens_unescape_tilde_one_then_tilde_zero(string path, string[] tokens) =>
        Assert.Equal(tokens, JsonPatch.Tokens(path));
}
