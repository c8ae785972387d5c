using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Keelson.Server.Tests.Api;

/// <summary>Bodies nested past the readers' limit are problems (422 for stacks, 400 for JSON), answered at once, never a crashed server.</summary>
public sealed class NestedBodyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly string DeepYamlStack =
        "metadata: {tenant: deep}\ncomponents:\n  - " + new string('[', 30_000) + new string(']', 30_000) + "\n";

    [Theory]
    [InlineData("/api/v1/tenants/")]
    [InlineData("/api/v1/tenants/calculate-resources")]
    public async Task A_yaml_stack_nested_30000_levels_is_a_422_problem_naming_the_line(string route)
    {
        using var client = Client();
        var clock = Stopwatch.StartNew();

        using var response = await client.PostAsync(new Uri(route, UriKind.Relative), new StringContent(DeepYamlStack, Encoding.UTF8, "application/yaml"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var errors = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["errors"]!["$"]!.AsArray();
        Assert.StartsWith("line 3, column ", errors[0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("nested more than 128 levels", errors[0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_json_stack_nested_beyond_the_limit_is_a_400_problem()
    {
        using var client = Client();
        var json = "{\"kind\": \"Stack\", \"metadata\": {\"tenant\": \"deep\"}, \"components\": [" + new string('[', 20_000) + new string(']', 20_000) + "]}";

        using var response = await client.PostAsync(new Uri("/api/v1/tenants/", UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("The body is not JSON", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Deeply_nested_manifest_content_is_an_unreadable_finding_not_a_crash()
    {
        using var client = Client();
        var request = new JsonObject { ["manifest_content"] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: " + new string('[', 10_000) + "\n" };

        using var response = await client.PostAsync(new Uri("/api/v1/tenants/validate-manifest", UriKind.Relative), new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.False(body["valid"]!.GetValue<bool>());
        var finding = Assert.Single(body["findings"]!.AsArray(), f => f!["id"]!.GetValue<string>() == "input-unreadable");
        Assert.Equal(4, finding!["line"]!.GetValue<int>());
    }

    private HttpClient Client()
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Demo-Mode", "true");
        return client;
    }
}
