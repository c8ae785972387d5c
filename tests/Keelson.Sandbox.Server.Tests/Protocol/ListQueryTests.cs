using System.Text.Json.Nodes;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;
using Microsoft.AspNetCore.Http;

namespace Keelson.Sandbox.Server.Tests.Protocol;

public sealed class ListQueryTests
{
    private static readonly ApiResource Pods = ResourceCatalog.Find("", "v1", "pods")!;

    [Theory]
    [InlineData(null, false)]
    [InlineData("false", false)]
    [InlineData("FALSE", false)]
    [InlineData("0", false)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("1", true)]
    [InlineData("t", true)]
    [InlineData("", true)]
    public void Booleans_read_as_the_API_server_reads_them(string? value, bool expected) => Assert.Equal(expected, ListQuery.Flag(value));

    [Fact]
    public void Limit_and_continue_are_read_and_a_zero_limit_lists_everything()
    {
        var token = new ContinueToken(42, "shop/web-1");
        var query = ListQuery.From(Request($"?limit=5&continue={token.Encode()}"), Pods);
        Assert.Equal((5L, token), (query.Limit, query.Continue));
        Assert.Null(ListQuery.From(Request("?limit=0"), Pods).Limit);
        Assert.Equal(400, Assert.Throws<ApiException>(() => ListQuery.From(Request("?limit=-1"), Pods)).Code);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ")]
    public void A_continue_token_this_server_did_not_write_is_a_BadRequest(string token) =>
        Assert.StartsWith("continue key is not valid", Assert.Throws<ApiException>(() => ContinueToken.Decode(token)).Message, StringComparison.Ordinal);

    [Fact]
    public void Field_selectors_are_per_kind_and_unset_fields_take_their_default()
    {
        var nodes = FieldLabels.Of("", "Node");
        Assert.True(FieldSelector.Parse("spec.unschedulable=false", nodes).Matches(JsonNode.Parse("""{"spec":{}}""")!));
        Assert.False(FieldSelector.Parse("spec.unschedulable=false", nodes).Matches(JsonNode.Parse("""{"spec":{"unschedulable":true}}""")!));
        Assert.True(FieldSelector.Parse("metadata.name!=a,metadata.name==b", nodes).Matches(JsonNode.Parse("""{"metadata":{"name":"b"}}""")!));
        Assert.Equal("field label not supported: spec.nodeName", Assert.Throws<ApiException>(() => FieldSelector.Parse("spec.nodeName=x", nodes)).Message);
        Assert.True(FieldSelector.Parse("source=kubelet", FieldLabels.Of("", "Event")).Matches(JsonNode.Parse("""{"source":{"component":"kubelet"}}""")!));
        Assert.Equal(400, Assert.Throws<ApiException>(() => FieldSelector.Parse("metadata.name", nodes)).Code);
    }

    [Fact]
    public void A_bad_label_selector_is_a_BadRequest() =>
        Assert.Equal(400, Assert.Throws<ApiException>(() => ListQuery.From(Request("?labelSelector=a%20in%20b"), Pods)).Code);

    private static HttpRequest Request(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }
}
