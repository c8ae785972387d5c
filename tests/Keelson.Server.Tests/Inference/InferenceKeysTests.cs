using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Keelson.Testing;

namespace Keelson.Server.Tests.Inference;

/// <summary>Keys on the registry and V2 routes: a tenant key reaches its own tenant's models (without naming it) and no other's.</summary>
public sealed class InferenceKeysTests(KeyedApiFactory factory) : IClassFixture<KeyedApiFactory>
{
    [Fact]
    public async Task A_tenant_key_serves_its_own_models_and_is_refused_elsewhere()
    {
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, await SendAsync(client, HttpMethod.Post, "/api/v1/tenants/", "admin-key-1", null,
            new StringContent(Api.DeploymentEndpointsTests.Request("dep-mine").ToJsonString(), Encoding.UTF8, "application/json")));
        var model = new ByteArrayContent(await TestModels.BytesAsync("mlp"));
        model.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        Assert.Equal(HttpStatusCode.Created, await SendAsync(client, HttpMethod.Post, "/api/v1/tenants/dep-mine/models/mlp/versions", "mine-key-1", null, model));

        const string Body = """{"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 4], "data": [1, 2, 3, 4]}]}""";
        Assert.Equal(HttpStatusCode.OK, await SendAsync(client, HttpMethod.Post, "/v2/models/mlp/infer", "mine-key-1", null, Json(Body)));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(client, HttpMethod.Post, "/v2/models/mlp/infer", "mine-key-1", "other", Json(Body)));
        Assert.Equal(HttpStatusCode.Forbidden, await SendAsync(client, HttpMethod.Get, "/api/v1/tenants/other/models", "mine-key-1", null, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(client, HttpMethod.Post, "/v2/models/mlp/infer", null, "dep-mine", Json(Body)));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(client, HttpMethod.Post, "/v2/models/mlp/infer", "admin-key-1", "dep-mine", Json(Body)));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(client, HttpMethod.Get, "/v2/health/ready", null, null, null));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, HttpMethod method, string path, string? key, string? tenant, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (key is not null)
        {
            request.Headers.Add("X-API-Key", key);
        }

        if (tenant is not null)
        {
            request.Headers.Add("X-Keelson-Tenant", tenant);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
