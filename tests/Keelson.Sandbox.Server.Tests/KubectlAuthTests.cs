using System.Text.RegularExpressions;

namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// The self reviews through the real kubectl under the sandbox's single-user model: kubectl's <c>auth</c> commands,
/// which send protobuf bodies, and JSON bodies through <c>create --raw</c>.
/// </summary>
public sealed class KubectlAuthTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    private Kubectl Kubectl => cluster.Kubectl;

    private const string SentProtobuf = "Content-Type: application/vnd.kubernetes.protobuf";

    [Fact]
    public async Task Auth_can_i_sends_a_protobuf_access_review_and_is_told_yes()
    {
        var (exit, stdout, stderr) = await Kubectl.RunAsync("-v=7", "auth", "can-i", "create", "deployments", "-n", RestaurantCluster.Namespace);
        Assert.True(exit == 0, stderr);
        Assert.Equal("yes", stdout.Trim());
        Assert.Contains(SentProtobuf, stderr);
        Assert.True(Regex.IsMatch(stderr, "Response Status: 201|status=\"201 Created\""), stderr);
    }

    [Fact]
    public async Task Auth_can_i_on_a_subresource_and_a_non_resource_url_is_yes()
    {
        Assert.Equal("yes", (await Kubectl.OkAsync("auth", "can-i", "get", "pods", "--subresource=log", "-A")).Trim());
        Assert.Equal("yes", (await Kubectl.OkAsync("auth", "can-i", "get", "/healthz")).Trim());
    }

    [Fact]
    public async Task Auth_can_i_list_prints_the_wildcard_rules()
    {
        var (exit, stdout, stderr) = await Kubectl.RunAsync("-v=7", "auth", "can-i", "--list", "-n", "default");
        Assert.True(exit == 0, stderr);
        Assert.Contains(SentProtobuf, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$", lines[0]);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\*\.\*\s+\[\]\s+\[\]\s+\[\*\]$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\s+\[\*\]\s+\[\]\s+\[\*\]$"));
    }

    [Fact]
    public async Task Auth_whoami_prints_the_sandbox_user_and_groups()
    {
        var (exit, stdout, stderr) = await Kubectl.RunAsync("-v=7", "auth", "whoami");
        Assert.True(exit == 0, stderr);
        Assert.Contains(SentProtobuf, stderr);
        Assert.Matches(@"Username\s+keelson-sandbox", stdout);
        Assert.Matches(@"Groups\s+\[system:masters system:authenticated\]", stdout);

        var json = await Kubectl.OkAsync("auth", "whoami", "-o", "json");
        Assert.Contains("\"username\": \"keelson-sandbox\"", json);
        Assert.Contains("\"kind\": \"SelfSubjectReview\"", json);
    }

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
