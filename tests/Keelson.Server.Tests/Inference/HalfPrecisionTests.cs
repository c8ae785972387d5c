using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Keelson.Testing;

namespace Keelson.Server.Tests.Inference;

/// <summary>FP16 and BF16 served in JSON and in the binary tensor extension, against numpy (python3-onnx builds a Cast model).</summary>
public sealed class HalfPrecisionTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Tenant = "inf-halves";

    // 0.1 and 1e30 are not representable in FP16/BF16: the served value is the rounded one, as numpy rounds it.
    private const string Inputs = """
        [{"name": "h", "datatype": "FP16", "shape": [2, 3], "data": [0.1, 1, 2.5, -3, 0.000061035156, 65504]},
         {"name": "b", "datatype": "BF16", "shape": [2, 3], "data": [0.1, 1, 2.5, -3, 1e30, -0.000123]},
         {"name": "f", "datatype": "FP32", "shape": [2, 3], "data": [0.1, 1.00001, 2.5, -3, 7.7, 1e-3]}]
        """;

    [Fact]
    public async Task Fp16_and_bf16_inputs_and_outputs_in_json_equal_numpys_rounding()
    {
        using var client = factory.CreateClient();
        await SetUpAsync(client);
        var request = JsonNode.Parse($$"""{"inputs": {{Inputs}}}""")!.AsObject();

        var (status, body) = await ModelClient.SendAsync(client, HttpMethod.Post, "/v2/models/halves/infer", Tenant, request.ToJsonString());

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var outputs = body!["outputs"]!.AsArray().ToDictionary(o => o!["name"]!.GetValue<string>());
        Assert.Equal(("FP32", "FP32", "FP16", "BF16"), (outputs["h_as_fp32"]!["datatype"]!.GetValue<string>(), outputs["b_as_fp32"]!["datatype"]!.GetValue<string>(),
            outputs["f_as_fp16"]!["datatype"]!.GetValue<string>(), outputs["f_as_bf16"]!["datatype"]!.GetValue<string>()));
        var reference = await TestModels.ReferenceAsync("halves", request);
        foreach (var (name, expected) in reference)
        {
            // Every value here is exact in float32, which is how the server writes FP16, BF16 and FP32 in JSON.
            Assert.Equal(expected.Select(v => (float)v), outputs[name]!["data"]!.AsArray().Select(v => v!.GetValue<float>()));
        }

        var (_, metadata) = await ModelClient.SendAsync(client, HttpMethod.Get, "/v2/models/halves", Tenant);
        Assert.Equal(["FP16", "BF16", "FP32"], metadata!["inputs"]!.AsArray().Select(i => i!["datatype"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Fp16_and_bf16_travel_as_two_byte_elements_in_the_binary_extension()
    {
        using var client = factory.CreateClient();
        await SetUpAsync(client);
        Half[] h = [(Half)0.1, (Half)1, (Half)2.5, (Half)(-3), (Half)0.000061035156, (Half)65504];
        var hBytes = MemoryMarshal.AsBytes(h.AsSpan()).ToArray();
        var reference = JsonNode.Parse($$"""{"inputs": {{Inputs}}}""")!.AsObject();
        var expected = await TestModels.ReferenceBytesAsync("halves", reference);
        var header = Encoding.UTF8.GetBytes("""
            {"inputs": [{"name": "h", "datatype": "FP16", "shape": [2, 3], "parameters": {"binary_data_size": 12}},
                        {"name": "b", "datatype": "BF16", "shape": [2, 3], "data": [0.1, 1, 2.5, -3, 1e30, -0.000123]},
                        {"name": "f", "datatype": "FP32", "shape": [2, 3], "data": [0.1, 1.00001, 2.5, -3, 7.7, 1e-3]}],
             "parameters": {"binary_data_output": true}, "outputs": [{"name": "f_as_fp16"}, {"name": "f_as_bf16"}, {"name": "h_as_fp32"}]}
            """);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/halves/infer") { Content = new ByteArrayContent([.. header, .. hBytes]) };
        request.Headers.Add("X-Keelson-Tenant", Tenant);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.Add("Inference-Header-Content-Length", header.Length.ToString(CultureInfo.InvariantCulture));

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, Encoding.UTF8.GetString(body));
        var length = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), CultureInfo.InvariantCulture);
        var json = JsonNode.Parse(body.AsSpan(0, length))!;
        Assert.Equal([12, 12, 24], json["outputs"]!.AsArray().Select(o => o!["parameters"]!["binary_data_size"]!.GetValue<int>()));
        Assert.Equal(Convert.ToHexString([.. expected["f_as_fp16"], .. expected["f_as_bf16"], .. expected["h_as_fp32"]]), Convert.ToHexString(body[length..]));
    }

    private static async Task SetUpAsync(HttpClient client)
    {
        var (status, _) = await ModelClient.SendAsync(client, HttpMethod.Get, $"/api/v1/tenants/{Tenant}", null);
        if (status != HttpStatusCode.OK)
        {
            await ModelClient.CreateTenantAsync(client, Tenant);
            await ModelClient.UploadModelAsync(client, Tenant, "halves", "halves");
        }
    }
}
