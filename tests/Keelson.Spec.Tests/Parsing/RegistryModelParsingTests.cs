using Keelson.Spec.Model;
using Keelson.Spec.Parsing;

namespace Keelson.Spec.Tests.Parsing;

/// <summary>A <c>model</c> component naming a model of Keelson's registry (<c>registry:</c>) instead of a <c>modelUri</c>.</summary>
public sealed class RegistryModelParsingTests
{
    private static string Stack(string model) => $"""
        apiVersion: keelson.dev/v1alpha1
        kind: Stack
        metadata:
          tenant: shop
        cluster:
          profile: aws-general
        components:
          - name: ranker
            kind: model
        {model}
        """;

    [Theory]
    [InlineData("    registry: {server: http://keelson.ops:8001, tenant: shop, model: ranker.v2, alias: staging}", "staging")]
    [InlineData("    registry: {server: https://keelson.example.com/, tenant: shop, model: ranker.v2, version: 7}", "7")]
    [InlineData("    registry: {server: http://keelson.ops:8001, tenant: shop, model: ranker.v2}", "production")]
    public void A_registry_model_binds_with_its_version_or_alias(string model, string version)
    {
        var result = StackParser.Parse(Stack(model), "stack.yaml");

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        var component = Assert.IsType<ModelComponent>(Assert.Single(result.Value!.Components));
        Assert.Null(component.ModelUri);
        Assert.Equal(("shop", "ranker.v2", version), (component.Registry!.Tenant, component.Registry.Model, component.Registry.Version));
        Assert.StartsWith("http", component.Registry.Server, StringComparison.Ordinal);
        Assert.False(component.Registry.Grpc);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void Grpc_is_bound_and_anything_but_a_boolean_is_a_located_error(string value, bool expected)
    {
        var result = StackParser.Parse(Stack($"    registry: {{server: http://k:8001, tenant: shop, model: m, grpc: {value}}}"), "stack.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(expected, Assert.IsType<ModelComponent>(Assert.Single(result.Value!.Components)).Registry!.Grpc);

        var bad = StackParser.Parse(Stack("    registry: {server: http://k:8001, tenant: shop, model: m, grpc: 8081}"), "stack.yaml");
        Assert.False(bad.Succeeded);
        Assert.Contains(bad.Diagnostics, d => d.ToString().Contains("components[0].registry.grpc:", StringComparison.Ordinal) && d.Line == 10);
    }

    [Theory]
    [InlineData("    registry: {server: http://k:8001, tenant: shop, model: m, alias: staging, version: 2}", 10, "components[0].registry.version: 'alias' and 'version' cannot be given together")]
    [InlineData("    registry: {tenant: shop, model: m}", 10, "components[0].registry.server: required field 'server' is missing")]
    [InlineData("    registry: {server: ftp://k/models, tenant: shop, model: m}", 10, "components[0].registry.server:")]
    [InlineData("    registry: {server: http://k:8001, tenant: shop, model: Ranker}", 10, "components[0].registry.model:")]
    [InlineData("    registry: {server: http://k:8001, tenant: shop, model: m, alias: '3'}", 10, "components[0].registry.alias:")]
    [InlineData("    registry: {server: http://k:8001, tenant: shop, model: m, version: 0}", 10, "components[0].registry.version:")]
    [InlineData("    modelUri: s3://m/1\n    registry: {server: http://k:8001, tenant: shop, model: m}", 11, "components[0].registry: 'modelUri' and 'registry' cannot be given together")]
    [InlineData("    format: triton\n    registry: {server: http://k:8001, tenant: shop, model: m}", 11, "components[0].registry: 'format' and 'registry' cannot be given together")]
    [InlineData("    device: cpu", 8, "components[0]: one of 'modelUri' or 'registry' is required")]
    public void A_bad_registry_model_is_a_located_error_saying_what_is_allowed(string model, int line, string expected)
    {
        var result = StackParser.Parse(Stack(model), "stack.yaml");

        Assert.False(result.Succeeded);
        var diagnostic = Assert.Single(result.Diagnostics, d => d.ToString().Contains(expected, StringComparison.Ordinal));
        Assert.Equal(("stack.yaml", line), (diagnostic.File, diagnostic.Line));
        Assert.True(diagnostic.Column > 0);
    }

    [Fact]
    public void A_bad_server_says_what_a_server_must_be()
    {
        var result = StackParser.Parse(Stack("    registry: {server: ftp://k/models, tenant: shop, model: m}"), "stack.yaml");

        Assert.Contains(result.Diagnostics, d => d.Message.Contains("an http:// or https:// URL", StringComparison.Ordinal));
    }
}
