using Keelson.Validation.Schema;

namespace Keelson.Validation.Tests.Schema;

public sealed class SchemaWalkerTests
{
    [Fact]
    public void Unknown_field_is_located_with_a_suggestion()
    {
        var report = Fixtures.Validate(Fixtures.GoodDeployment.Replace("protocol: TCP", "protocl: TCP", StringComparison.Ordinal));

        var f = Assert.Single(report.Findings);
        Assert.Equal((SchemaWalker.UnknownFieldId, Severity.Error, 22), (f.CheckId, f.Severity, f.Line));
        Assert.Equal("spec.template.spec.containers[0].ports[0].protocl", f.Path);
        Assert.Equal("Did you mean 'protocol'?", f.Hint);
        Assert.False(report.Valid);
    }

    [Theory]
    [InlineData("replicas: 2", "replicas: \"2\"", "spec.replicas", "expected an integer")]
    [InlineData("replicas: 2", "replicas: two", "spec.replicas", "expected an integer")]
    [InlineData("matchLabels: {app: web}\n  template", "matchLabels: [app]\n  template", "spec.selector.matchLabels", "expected a mapping")]
    [InlineData("- name: web\n", "- name: 1.0\n", "spec.template.spec.containers[0].name", "read as a number")]
    [InlineData("runAsNonRoot: true", "runAsNonRoot: \"yes please\"", "spec.template.spec.securityContext.runAsNonRoot", "expected true or false")]
    public void Wrong_types_are_errors(string good, string bad, string path, string message)
    {
        Assert.Contains(good, Fixtures.GoodDeployment, StringComparison.Ordinal);

        var f = Assert.Single(Fixtures.Validate(Fixtures.GoodDeployment.Replace(good, bad, StringComparison.Ordinal)).Findings, f => f.CheckId == SchemaWalker.WrongTypeId);

        Assert.Equal(path, f.Path);
        Assert.Contains(message, f.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("512MB")]
    [InlineData("1 core")]
    [InlineData("lots")]
    public void Quantities_must_parse(string quantity)
    {
        var f = Assert.Single(Fixtures.Validate(Fixtures.GoodDeployment.Replace("memory: 256Mi", $"memory: {quantity}", StringComparison.Ordinal)).Findings);

        Assert.Equal((SchemaWalker.QuantityId, "spec.template.spec.containers[0].resources.requests.memory"), (f.CheckId, f.Path));
    }

    [Fact]
    public void Unknown_kinds_are_reported_as_not_checked_never_as_valid()
    {
        var f = Assert.Single(Fixtures.Validate("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {anything: 1}\n").Findings);

        Assert.Equal((Validator.NotCheckedId, Severity.Info), (f.CheckId, f.Severity));
    }

    [Fact]
    public void Removed_api_versions_name_the_served_ones()
    {
        var f = Assert.Single(Fixtures.Validate("apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: i}\n").Findings, f => f.CheckId == Validator.NotCheckedId);

        Assert.Contains("networking.k8s.io/v1", f.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_kind_is_an_error()
    {
        var f = Assert.Single(Fixtures.Validate("apiVersion: v1\nmetadata: {name: x}\n").Findings);

        Assert.Equal(("schema-missing-field", "kind"), (f.CheckId, f.Path));
    }
}
