namespace Keelson.Sandbox.Server.Tests.Endpoints;

/// <summary><c>fieldValidation</c> over HTTP: Strict refuses, Warn (the default) answers with Warning headers, Ignore says nothing.</summary>
public sealed class FieldValidationTests
{
    private const string ConfigMaps = "/api/v1/namespaces/shop/configmaps";
    private const string Typo = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","labelz":{"x":"y"}},"data":{"k":"v"},"dataa":{}}""";

    [Fact]
    public async Task Strict_create_is_a_BadRequest_naming_every_unknown_field()
    {
        await using var server = await Objects.ShopAsync();
        var (status, body) = await server.SendAsync(HttpMethod.Post, ConfigMaps + "?fieldValidation=Strict", Typo);
        Assert.Equal(400, status);
        Assert.Equal("BadRequest", (string?)body!["reason"]);
        Assert.Equal("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"metadata.labelz\", unknown field \"dataa\"", (string?)body["message"]);
        Assert.Equal(404, (await server.GetAsync(ConfigMaps + "/a")).Status);
    }

    [Fact]
    public async Task Strict_refuses_a_field_given_twice()
    {
        await using var server = await Objects.ShopAsync();
        var twice = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"k":"1","k":"2"}}""";
        var (status, body) = await server.SendAsync(HttpMethod.Post, ConfigMaps + "?fieldValidation=Strict", twice);
        Assert.Equal(400, status);
        Assert.EndsWith("strict decoding error: duplicate field \"data.k\"", (string?)body!["message"], StringComparison.Ordinal);

        // Warn keeps the last value, as Go's decoder does.
        (status, body) = await server.SendAsync(HttpMethod.Post, ConfigMaps, twice);
        Assert.Equal(201, status);
        Assert.Equal("2", (string?)body!["data"]!["k"]);
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("?fieldValidation=Warn", true)]
    [InlineData("?fieldValidation=Ignore", false)]
    public async Task Warn_is_the_default_and_sends_one_warning_header_per_field(string query, bool warned)
    {
        await using var server = await Objects.ShopAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, ConfigMaps + query) { Content = new StringContent(Typo, System.Text.Encoding.UTF8, "application/json") };
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(201, (int)response.StatusCode);
        var warnings = response.Headers.TryGetValues("Warning", out var values) ? values.ToList() : [];
        Assert.Equal(warned ? ["299 - \"unknown field \\\"metadata.labelz\\\"\"", "299 - \"unknown field \\\"dataa\\\"\""] : [], warnings);
    }

    [Fact]
    public async Task Strict_patch_is_Invalid_on_the_patch_and_changes_nothing()
    {
        await using var server = await Objects.ShopAsync();
        await server.SendAsync(HttpMethod.Post, "/apis/apps/v1/namespaces/shop/deployments", Objects.Deployment("web"));
        var (status, body) = await server.SendAsync(HttpMethod.Patch, "/apis/apps/v1/namespaces/shop/deployments/web?fieldValidation=Strict", """{"spec":{"replicaz":5}}""", "application/merge-patch+json");
        Assert.Equal(422, status);
        Assert.Contains("strict decoding error: unknown field \"spec.replicaz\"", (string?)body!["message"], StringComparison.Ordinal);
        Assert.StartsWith("deployments.apps \"web\" is invalid: patch: Invalid value:", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_directive_is_refused_as_Invalid_options()
    {
        await using var server = await Objects.ShopAsync();
        var (status, body) = await server.SendAsync(HttpMethod.Post, ConfigMaps + "?fieldValidation=Loose", Objects.ConfigMap("a", "web"));
        Assert.Equal(422, status);
        Assert.Equal("CreateOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"Loose\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"", (string?)body!["message"]);
    }

    [Fact]
    public async Task A_yaml_apply_reports_the_unknown_fields_its_models_would_drop()
    {
        await using var server = await Objects.ShopAsync();
        var yaml = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a}
            data: {k: v}
            dataa: {}
            """;
        var (status, body) = await server.SendAsync(HttpMethod.Patch, ConfigMaps + "/a?fieldManager=test&fieldValidation=Strict", yaml, "application/apply-patch+yaml");
        Assert.Equal(400, status);
        Assert.EndsWith("strict decoding error: unknown field \"dataa\"", (string?)body!["message"], StringComparison.Ordinal);

        await server.SendAsync(HttpMethod.Post, ConfigMaps, Objects.ConfigMap("a", "web"));
        (status, body) = await server.SendAsync(HttpMethod.Patch, ConfigMaps + "/a?fieldManager=test&fieldValidation=Strict", yaml, "application/apply-patch+yaml");
        Assert.Equal(422, status);
        Assert.EndsWith("strict decoding error: unknown field \"dataa\"", (string?)body!["message"], StringComparison.Ordinal);
    }
}
