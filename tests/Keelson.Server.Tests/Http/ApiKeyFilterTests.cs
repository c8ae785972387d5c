using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Keelson.Server.Tests.Http;

public sealed class ApiKeyFilterTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private static readonly JsonObject Request = new() { ["tenant_id"] = "shop", ["service_requirements"] = new JsonObject { ["chatbot"] = 20 } };

    private WebApplicationFactory<Program> Secured(bool requireInDemo = false) => factory.WithWebHostBuilder(b =>
    {
        b.UseSetting("Keelson:AdminKeys:0", "admin-secret-1");
        b.UseSetting("Keelson:TenantKeys:shop-key-1", "shop");
        b.UseSetting("Keelson:RequireApiKeyInDemo", requireInDemo ? "true" : "false");
    });

    [Theory]
    [InlineData("false", null, HttpStatusCode.Unauthorized)]
    [InlineData("false", "wrong", HttpStatusCode.Unauthorized)]
    [InlineData("false", "admin-secret-1", HttpStatusCode.OK)]
    [InlineData("false", "shop-key-1", HttpStatusCode.OK)]
    [InlineData("true", null, HttpStatusCode.OK)]
    public async Task Production_always_needs_a_valid_key_and_the_local_demo_may_run_open(string demo, string? key, HttpStatusCode expected)
    {
        using var client = Secured().CreateClient();
        var (status, body) = await Send(client, demo, key);

        Assert.Equal(expected, status);
        if (expected == HttpStatusCode.Unauthorized)
        {
            Assert.Equal(401, body["status"]!.GetValue<int>());
            Assert.DoesNotContain("wrong", body.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_demo_can_require_keys_too_and_x_api_key_is_accepted()
    {
        using var client = Secured(requireInDemo: true).CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(client, "true", null)).Status);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/calculate-resources") { Content = JsonContent.Create(Request) };
        request.Headers.Add("X-Demo-Mode", "true");
        request.Headers.Add("X-API-Key", "admin-secret-1");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("keelson:admin-secret-1", HttpStatusCode.OK)]
    [InlineData("anyone:shop-key-1", HttpStatusCode.OK)]
    [InlineData("keelson:nope", HttpStatusCode.Unauthorized)]
    public async Task Basic_credentials_carry_the_key_as_password_for_netrc_clients(string credentials, HttpStatusCode expected)
    {
        using var client = Secured().CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/calculate-resources") { Content = JsonContent.Create(Request) };
        request.Headers.Add("X-Demo-Mode", "false");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(credentials)));
        using var response = await client.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    private static async Task<(HttpStatusCode Status, JsonNode Body)> Send(HttpClient client, string demo, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/calculate-resources") { Content = JsonContent.Create(Request) };
        request.Headers.Add("X-Demo-Mode", demo);
        if (key is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await client.SendAsync(request);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }
}
