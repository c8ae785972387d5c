using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Keelson.Testing;

namespace Keelson.Server.Tests.Inference;

/// <summary>Calls the registry and V2 routes the way a client would, for the model tests.</summary>
internal static class ModelClient
{
    /// <summary>Creates a tenant in the demo database.</summary>
    public static async Task CreateTenantAsync(HttpClient client, string tenant)
    {
        using var content = new StringContent(Api.DeploymentEndpointsTests.Request(tenant).ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/api/v1/tenants/", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Uploads bytes as a new version; the status and the JSON answer.</summary>
    public static async Task<(HttpStatusCode Status, JsonNode Body)> UploadAsync(HttpClient client, string tenant, string model, byte[] bytes, string contentType = "application/octet-stream")
    {
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await client.PostAsync(new Uri($"/api/v1/tenants/{tenant}/models/{model}/versions", UriKind.Relative), content);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    /// <summary>Uploads one of the built test models and expects it to be accepted; returns its version number.</summary>
    public static async Task<int> UploadModelAsync(HttpClient client, string tenant, string model, string file)
    {
        var (status, body) = await UploadAsync(client, tenant, model, await TestModels.BytesAsync(file));
        Assert.True(status == HttpStatusCode.Created, body.ToJsonString());
        return body["version"]!.GetValue<int>();
    }

    /// <summary>Sends JSON (or nothing) with the tenant header; the status and the parsed answer (null when empty).</summary>
    public static async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpClient client, HttpMethod method, string path, string? tenant, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (tenant is not null)
        {
            request.Headers.Add("X-Keelson-Tenant", tenant);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    /// <summary>An OIP V2 request body with FP32 input <c>x</c> of the shape and values given.</summary>
    public static JsonObject XRequest(long[] shape, float[] values) => new()
    {
        ["inputs"] = new JsonArray(new JsonObject
        {
            ["name"] = "x", ["datatype"] = "FP32", ["shape"] = new JsonArray([.. shape.Select(d => JsonValue.Create(d))]),
            ["data"] = new JsonArray([.. values.Select(v => JsonValue.Create(v))]),
        }),
    };

    /// <summary>Asserts every value of output <paramref name="name"/> equals numpy's within float32 rounding.</summary>
    public static void AssertClose(IReadOnlyList<double> expected, JsonNode response, string name)
    {
        var output = response["outputs"]!.AsArray().Single(o => o!["name"]!.GetValue<string>() == name)!;
        var actual = output["data"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(expected.Count, actual.Length);
        for (var i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"{name}[{i}]: numpy {expected[i]}, server {actual[i]}");
        }
    }
}
