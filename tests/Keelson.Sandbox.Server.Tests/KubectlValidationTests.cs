namespace Keelson.Sandbox.Server.Tests;

/// <summary>
/// Field validation through the real kubectl, which asks for <c>fieldValidation=Strict</c> by default: a typo'd
/// field fails <c>apply</c> and <c>create</c> with the API server's strict decoding error, <c>--validate=warn</c>
/// stores the object and prints the server's warning, <c>--validate=false</c> stores it silently.
/// </summary>
public sealed class KubectlValidationTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    private Kubectl Kubectl => cluster.Kubectl;

    [Fact]
    public async Task Apply_of_a_typo_fails_with_the_strict_decoding_error_and_stores_nothing()
    {
        var (exit, _, error) = await Kubectl.RunAsync("apply", "-f", await TypoAsync("typo-a"));
        Assert.NotEqual(0, exit);
        Assert.Contains("Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replicaz\", unknown field \"spec.template.spec.containers[0].imagePullPolicyy\"", error, StringComparison.Ordinal);
        Assert.Contains("NotFound", (await Kubectl.RunAsync("get", "deploy", "typo-a")).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_of_a_typo_fails_as_BadRequest()
    {
        var (exit, _, error) = await Kubectl.RunAsync("create", "-f", await TypoAsync("typo-b"));
        Assert.NotEqual(0, exit);
        Assert.Contains("Error from server (BadRequest)", error, StringComparison.Ordinal);
        Assert.Contains("strict decoding error: unknown field \"spec.replicaz\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_warn_stores_the_object_and_prints_the_servers_warnings()
    {
        var (exit, output, error) = await Kubectl.RunAsync("apply", "--validate=warn", "-f", await TypoAsync("typo-c"));
        Assert.True(exit == 0, output + error);
        Assert.Contains("Warning: unknown field \"spec.replicaz\"", error, StringComparison.Ordinal);
        Assert.Contains("deployment.apps/typo-c created", output, StringComparison.Ordinal);
        Assert.Equal("typo-c", await Kubectl.OkAsync("get", "deploy", "typo-c", "-o", "jsonpath={.metadata.name}"));
    }

    [Fact]
    public async Task Validate_false_stores_the_object_without_a_word()
    {
        var (exit, output, error) = await Kubectl.RunAsync("apply", "--validate=false", "-f", await TypoAsync("typo-d"));
        Assert.True(exit == 0, output + error);
        Assert.DoesNotContain("unknown field", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_of_a_typo_to_an_existing_object_fails_and_leaves_it()
    {
        await Kubectl.OkAsync("apply", "--validate=false", "-f", await TypoAsync("typo-e"));
        var version = await Kubectl.OkAsync("get", "deploy", "typo-e", "-o", "jsonpath={.metadata.resourceVersion}");
        var (exit, _, error) = await Kubectl.RunAsync("apply", "-f", await TypoAsync("typo-e", image: "menu:2"));
        Assert.NotEqual(0, exit);
        Assert.Contains("The deployments.apps \"typo-e\" is invalid: patch: Invalid value: ", error, StringComparison.Ordinal);
        Assert.Contains("strict decoding error: unknown field \"spec.template.spec.containers[0].imagePullPolicyy\", unknown field \"spec.replicaz\"", error, StringComparison.Ordinal);
        Assert.Equal(version, await Kubectl.OkAsync("get", "deploy", "typo-e", "-o", "jsonpath={.metadata.resourceVersion}"));
    }

    private async Task<string> TypoAsync(string name, string image = "menu:1")
    {
        var path = Path.Combine(Path.GetDirectoryName(cluster.ManifestPath)!, $"{name}-{image.Replace(':', '-')}.yaml");
        await File.WriteAllTextAsync(path, $$$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {{{name}}}
            spec:
              replicaz: 3
              selector: {matchLabels: {app: {{{name}}}}}
              template:
                metadata: {labels: {app: {{{name}}}}}
                spec:
                  containers:
                    - name: app
                      image: {{{image}}}
                      imagePullPolicyy: Always
            """);
        return path;
    }
}
