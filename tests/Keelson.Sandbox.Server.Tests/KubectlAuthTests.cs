namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// The self reviews through the real kubectl under the sandbox's single-user model. kubectl's <c>auth</c> commands
/// send protobuf, which the sandbox has no schema for yet, so the reviews go as JSON through <c>create --raw</c>.
/// </summary>
public sealed class KubectlAuthTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    private Kubectl Kubectl => cluster.Kubectl;

    [Fact]
    public async Task An_access_review_is_allowed_and_echoes_its_attributes()
    {
        var body = await BodyAsync("ssar", """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"verb":"create","resource":"deployments","group":"apps","namespace":"restaurant-system"}}}""");
        var review = await Kubectl.OkAsync("create", "--raw", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "-f", body);
        Assert.Contains("\"allowed\":true", review);
        Assert.Contains("\"namespace\":\"restaurant-system\"", review);
        Assert.Contains("\"kind\":\"SelfSubjectAccessReview\"", review);
    }

    [Fact]
    public async Task An_access_review_without_attributes_is_invalid()
    {
        var body = await BodyAsync("ssar-empty", """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{}}""");
        var (exit, _, error) = await Kubectl.RunAsync("create", "--raw", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", "-f", body);
        Assert.NotEqual(0, exit);
        Assert.Contains("exactly one of resourceAttributes and nonResourceAttributes", error);
    }

    [Fact]
    public async Task A_rules_review_lists_the_wildcard_rules()
    {
        var body = await BodyAsync("ssrr", """{"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectRulesReview","spec":{"namespace":"default"}}""");
        var review = await Kubectl.OkAsync("create", "--raw", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", "-f", body);
        Assert.Contains("\"resourceRules\":[{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],\"resources\":[\"*\"]}]", review);
        Assert.Contains("\"nonResourceURLs\":[\"*\"]", review);
    }

    [Fact]
    public async Task A_self_review_names_the_sandbox_user()
    {
        var body = await BodyAsync("ssr", """{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""");
        var review = await Kubectl.OkAsync("create", "--raw", "/apis/authentication.k8s.io/v1/selfsubjectreviews", "-f", body);
        Assert.Contains("\"username\":\"keelson-sandbox\"", review);
        Assert.Contains("\"groups\":[\"system:masters\",\"system:authenticated\"]", review);
    }

    [Fact]
    public async Task The_review_groups_are_discovered()
    {
        var resources = await Kubectl.OkAsync("api-resources", "--api-group=authorization.k8s.io", "-o", "name");
        Assert.Contains("selfsubjectaccessreviews.authorization.k8s.io", resources);
        Assert.Contains("selfsubjectrulesreviews.authorization.k8s.io", resources);
        Assert.Contains("authentication.k8s.io/v1", await Kubectl.OkAsync("api-versions"));
    }

    private async Task<string> BodyAsync(string name, string json)
    {
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, $"{name}.json");
        await File.WriteAllTextAsync(path, json);
        return path;
    }
}
