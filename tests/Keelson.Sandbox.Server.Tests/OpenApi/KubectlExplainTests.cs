namespace Keelson.Sandbox.Server.Tests.OpenApi;

/// <summary>The OpenAPI documents through the real kubectl: <c>explain</c> reads them, client-side dry runs still validate.</summary>
public sealed class KubectlExplainTests(RestaurantCluster cluster) : IClassFixture<RestaurantCluster>
{
    private Kubectl Kubectl => cluster.Kubectl;

    [Fact]
    public async Task Explain_prints_a_fields_type_and_its_api_description()
    {
        var output = await Kubectl.OkAsync("explain", "deployment.spec.replicas");
        Assert.Contains("GROUP:      apps", output, StringComparison.Ordinal);
        Assert.Contains("KIND:       Deployment", output, StringComparison.Ordinal);
        Assert.Matches(@"FIELD:\s+replicas <integer>", output);
        Assert.Contains("Number of desired pods", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_lists_the_fields_of_a_list_of_objects()
    {
        var output = await Kubectl.OkAsync("explain", "pod.spec.containers");
        Assert.Matches(@"FIELD:\s+containers <\[\]Container>", output);
        Assert.Matches(@"(?m)^  image\s+<string>", output);
        Assert.Matches(@"(?m)^  name\s+<string>", output);
        Assert.Matches(@"(?m)^  ports\s+<\[\]ContainerPort>", output);
    }

    [Fact]
    public async Task Explain_reads_a_custom_resource_from_the_schema_keelson_checks()
    {
        var output = await Kubectl.OkAsync("explain", "scaledobject.spec.triggers");
        Assert.Contains("KIND:       ScaledObject", output, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  type\s+<string> -required-", output);
        Assert.Matches(@"(?m)^  metricType\s+<string>", output);
    }

    [Fact]
    public async Task Explain_of_an_unknown_field_names_it()
    {
        var (exit, _, error) = await Kubectl.RunAsync("explain", "deployment.spec.replicass");
        Assert.NotEqual(0, exit);
        Assert.Contains("replicass", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strict_client_dry_run_apply_succeeds_and_stores_nothing()
    {
        var output = await Kubectl.OkAsync("apply", "--validate=strict", "--dry-run=client", "-f", cluster.ManifestPath);
        Assert.Contains("deployment.apps/user created (dry run)", output, StringComparison.Ordinal);
        var (exit, _, _) = await Kubectl.RunAsync("get", "deployment/user", "-n", RestaurantCluster.Namespace);
        Assert.NotEqual(0, exit);
    }

    [Fact]
    public async Task Openapi_v2_is_swagger_json_with_every_served_kind()
    {
        var (status, body) = await cluster.Server.GetAsync("/openapi/v2", accept: "application/json");
        Assert.Equal(200, status);
        Assert.Equal("2.0", body!["swagger"]!.GetValue<string>());
        var spec = body["definitions"]!["io.k8s.api.v1.DeploymentSpec"]!;
        Assert.Equal("integer", spec["properties"]!["replicas"]!["type"]!.GetValue<string>());
        Assert.Equal("#/definitions/io.k8s.api.v1.PodTemplateSpec", spec["properties"]!["template"]!["$ref"]!.GetValue<string>());

        var (refused, _) = await cluster.Server.GetAsync("/openapi/v2", accept: "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
        Assert.Equal(406, refused);
    }
}
