using Keelson.Sandbox.Server.Protocol;
using Microsoft.AspNetCore.Http;

namespace Keelson.Sandbox.Server.Tests.Protocol;

public sealed class WriteOptionsTests
{
    [Theory]
    [InlineData("", false, FieldValidationDirective.Warn)]
    [InlineData("?dryRun=All", true, FieldValidationDirective.Warn)]
    [InlineData("?dryRun=All&dryRun=All&fieldValidation=Strict", true, FieldValidationDirective.Strict)]
    [InlineData("?fieldValidation=Ignore", false, FieldValidationDirective.Ignore)]
    [InlineData("?fieldValidation=", false, FieldValidationDirective.Warn)]
    public void Query_parameters_give_dry_run_and_the_directive(string query, bool dryRun, FieldValidationDirective directive) =>
        Assert.Equal(new WriteOptions(dryRun, directive), WriteOptions.From(Request(query), "CreateOptions"));

    [Theory]
    [InlineData("?dryRun=all")]
    [InlineData("?dryRun=")]
    [InlineData("?dryRun=All&dryRun=None")]
    [InlineData("?fieldValidation=strict")]
    public void Anything_else_is_a_422_naming_the_options_kind(string query)
    {
        var error = Assert.Throws<ApiException>(() => WriteOptions.From(Request(query), "PatchOptions"));
        Assert.Equal((422, "Invalid"), (error.Code, error.Reason));
        Assert.StartsWith("PatchOptions.meta.k8s.io \"\" is invalid: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_delete_options_body_can_ask_for_the_dry_run()
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse("""{"kind":"DeleteOptions","dryRun":["All"]}""")!.AsObject();
        Assert.True(WriteOptions.Default.WithBody(body).DryRun);
        Assert.False(WriteOptions.Default.WithBody(new System.Text.Json.Nodes.JsonObject()).DryRun);
        Assert.Throws<ApiException>(() => WriteOptions.Default.WithBody(System.Text.Json.Nodes.JsonNode.Parse("""{"dryRun":["Some"]}""")!.AsObject()));
    }

    private static HttpRequest Request(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        return context.Request;
    }
}
