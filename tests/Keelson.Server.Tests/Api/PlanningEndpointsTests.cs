using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Keelson.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Keelson.Server.Tests.Api;

public sealed class PlanningEndpointsTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly JsonObject CallCenter = new()
    {
        ["tenant_id"] = "ai-call-center-prod",
        ["name"] = "AI 콜센터 운영",
        ["service_requirements"] = new JsonObject { ["callbot"] = 100, ["chatbot"] = 200, ["advisor"] = 50, ["stt"] = 100, ["tts"] = 100 },
        ["sla_target"] = new JsonObject { ["availability"] = "99.95%", ["response_time"] = "150ms", ["concurrent_users"] = 500 },
    };

    [Fact]
    public async Task Calculate_resources_plans_the_seed_scenario_like_the_example_stack()
    {
        var (status, body) = await Post("/api/v1/tenants/calculate-resources", CallCenter);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ai-call-center-prod", body["tenant_id"]!.GetValue<string>());
        Assert.Equal("medium", body["preset"]!.GetValue<string>());
        var services = body["services"]!.AsArray().ToDictionary(s => s!["name"]!.GetValue<string>());
        Assert.Equal(["advisor", "callbot", "chatbot", "stt", "tts"], services.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("T4", services["callbot"]!["device"]!.GetValue<string>());
        Assert.Equal(100, services["callbot"]!["sessions"]!.GetValue<int>());
        Assert.Equal(services.Values.Sum(s => s!["gpu"]!.GetValue<int>()), body["resources"]!["gpu"]!.GetValue<int>());
        Assert.True(body["estimated_cost"]!["monthly_usd"]!.GetValue<double>() > body["estimated_cost"]!["optimised_monthly_usd"]!.GetValue<double>() * 0.5);
    }

    [Fact]
    public async Task Calculate_resources_says_why_each_pool_has_its_nodes()
    {
        var (_, body) = await Post("/api/v1/tenants/calculate-resources", CallCenter);

        var pools = body["nodes"]!.AsArray();
        Assert.NotEmpty(pools);
        Assert.All(pools, pool =>
        {
            var nodes = pool!["nodes"]!.GetValue<int>();
            Assert.Contains(pool["lower_bound_by"]!.GetValue<string>(), (string[])["cpu", "memory", "gpu", "pod slots", "minNodes", "no pods"]);
            Assert.StartsWith($"{nodes} node", pool["nodes_reason"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains($"lower bound {pool["lower_bound"]!.GetValue<int>()} (", pool["nodes_reason"]!.GetValue<string>(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_missing_demo_mode_header_gets_the_default_demo_mode_and_says_so()
    {
        // The ECP-AI web UI sends X-Demo-Mode on few of its calls; without it the server's default mode (demo) applies.
        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/api/v1/tenants/calculate-resources", CallCenter);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("demo", Assert.Single(response.Headers.GetValues("X-Keelson-Mode")));
        Assert.Equal("medium", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["preset"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("TRUE", "demo")]
    [InlineData(" false ", "production")]
    public async Task Demo_mode_values_are_read_in_any_case(string value, string mode)
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tenants/");
        request.Headers.TryAddWithoutValidation("X-Demo-Mode", value);
        using var response = await client.SendAsync(request);

        // Production needs a key, demo does not: the status tells which mode was chosen as much as the header does.
        Assert.Equal((mode == "demo" ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, mode), (response.StatusCode, Assert.Single(response.Headers.GetValues("X-Keelson-Mode"))));
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("1")]
    public async Task A_demo_mode_other_than_true_or_false_is_a_400(string value)
    {
        var (status, body) = await Post("/api/v1/tenants/calculate-resources", CallCenter, value);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("The X-Demo-Mode header must be true or false", body["title"]!.GetValue<string>());
        Assert.Contains($"got '{value}'", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_requests_are_422_with_every_field_path()
    {
        var request = new JsonObject
        {
            ["tenant_id"] = "Bad_Id",
            ["service_requirements"] = new JsonObject { ["callbot"] = -2, ["robot"] = 3 },
        };
        var (status, body) = await Post("/api/v1/tenants/calculate-resources", request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        var errors = body["errors"]!.AsObject();
        Assert.Contains("DNS-1123", errors["tenant_id"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("0 (not used) or more", errors["service_requirements.callbot"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("unknown service 'robot'", errors["service_requirements.robot"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_sla_the_stack_format_refuses_is_reported_on_the_request_field()
    {
        var request = CallCenter.DeepClone().AsObject();
        request["sla_target"]!["availability"] = "120%";
        var (status, body) = await Post("/api/v1/tenants/calculate-resources", request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.True(body["errors"]!.AsObject().ContainsKey("sla_target.availability"), body.ToJsonString());
    }

    [Fact]
    public async Task Validate_manifest_answers_in_the_seed_shape()
    {
        var manifest = await File.ReadAllTextAsync(Repo.File("tests", "Keelson.Rendering.Tests", "golden", "restaurant.yaml"));
        var (status, body) = await Post("/api/v1/tenants/validate-manifest", new JsonObject { ["tenant_id"] = "restaurant-system", ["manifest_content"] = manifest });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body["valid"]!.GetValue<bool>());
        Assert.Empty(body["errors"]!.AsArray());
        var summary = body["resource_summary"]!;
        Assert.EndsWith("m", summary["total_cpu"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Matches(@"^\$\d+/month$", summary["estimated_cost"]!.GetValue<string>());
    }

    [Fact]
    public async Task Validate_manifest_reports_errors_and_an_empty_body_is_422()
    {
        var (status, body) = await Post("/api/v1/tenants/validate-manifest", new JsonObject { ["manifest_content"] = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {replicas: two}\n" });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body["valid"]!.GetValue<bool>());
        Assert.NotEmpty(body["errors"]!.AsArray());

        var (empty, problem) = await Post("/api/v1/tenants/validate-manifest", new JsonObject());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, empty);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("manifest_content"));
    }

    [Fact]
    public async Task Request_id_is_echoed_and_health_openapi_docs_and_metrics_are_served()
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/ready");
        request.Headers.Add("X-Request-ID", "req-42");
        using var health = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("req-42", health.Headers.GetValues("X-Request-ID").Single());

        var openapi = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;
        Assert.NotNull(openapi["paths"]!["/api/v1/tenants/calculate-resources"]);
        Assert.NotNull(openapi["paths"]!["/api/v1/tenants/validate-manifest"]);
        Assert.NotNull(openapi["paths"]!["/api/v1/tenants/{tenant_id}/deploy"]!["post"]!["responses"]!["202"]);
        Assert.NotNull(openapi["paths"]!["/api/v1/deployments/{deployment_id}/rollback"]);
        Assert.NotNull(openapi["paths"]!["/ws/deployments/{deployment_id}"]);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs/")).StatusCode);
        await Post("/api/v1/tenants/calculate-resources", CallCenter);
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("http_requests_received_total", metrics, StringComparison.Ordinal);
        Assert.Contains("/api/v1/tenants/calculate-resources", metrics, StringComparison.Ordinal);
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> Post(string path, JsonObject body, string demo = "true")
    {
        using var client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Demo-Mode", demo);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
