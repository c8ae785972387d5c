using Keelson.Validation.Checks;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Tests.Checks;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal) { ["app"] = "web", ["tier"] = "front" };

    private static LabelSelector Selector(string yaml)
    {
        var documents = new List<ManifestDocument>();
        var problems = new List<Finding>();
        ManifestLoader.Parse("kind: X\nselector: " + yaml + "\n", "s.yaml", documents, problems);
        Assert.Empty(problems);
        return LabelSelector.Parse(documents.Single().Node.Get("selector"))!;
    }

    [Theory]
    [InlineData("{}", true)]
    [InlineData("{matchLabels: {app: web}}", true)]
    [InlineData("{matchLabels: {app: api}}", false)]
    [InlineData("{matchExpressions: [{key: app, operator: In, values: [api, web]}]}", true)]
    [InlineData("{matchExpressions: [{key: app, operator: In, values: [api]}]}", false)]
    [InlineData("{matchExpressions: [{key: tier, operator: NotIn, values: [back]}]}", true)]
    [InlineData("{matchExpressions: [{key: tier, operator: NotIn, values: [front]}]}", false)]
    [InlineData("{matchExpressions: [{key: zone, operator: NotIn, values: [a]}]}", true)]
    [InlineData("{matchExpressions: [{key: tier, operator: Exists}]}", true)]
    [InlineData("{matchExpressions: [{key: zone, operator: Exists}]}", false)]
    [InlineData("{matchExpressions: [{key: zone, operator: DoesNotExist}]}", true)]
    [InlineData("{matchExpressions: [{key: app, operator: DoesNotExist}]}", false)]
    [InlineData("{matchLabels: {app: web}, matchExpressions: [{key: tier, operator: In, values: [back]}]}", false)]
    [InlineData("{matchExpressions: [{key: app, operator: In, values: []}]}", false)]
    [InlineData("{matchExpressions: [{key: app, operator: Equals, values: [web]}]}", false)]
    [InlineData("{matchExpressions: [{key: app, operator: Exists, values: [web]}]}", false)]
    public void Evaluates_match_labels_and_every_expression_operator(string selector, bool matches) =>
        Assert.Equal(matches, Selector(selector).Matches(Labels));

    [Fact]
    public void Writes_itself_as_kubectl_does()
    {
        var selector = Selector("{matchLabels: {app: web}, matchExpressions: [{key: tier, operator: NotIn, values: [a, b]}, {key: z, operator: DoesNotExist}]}");

        Assert.Equal("app=web,tier notin (a,b),!z", selector.ToString());
    }
}
