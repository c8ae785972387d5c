using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Keelson.Testing;

namespace Keelson.Server.Tests.Inference;

/// <summary>
/// The OIP binary tensor data extension driven with raw bytes: a JSON header of <c>Inference-Header-Content-Length</c>
/// bytes, then the inputs' little-endian elements; binary outputs come back the same way and are compared with numpy.
/// (No Triton or KServe client is available here — tritonclient is only on PyPI — so the bytes are built by the test.)
/// </summary>
public sealed class BinaryTensorTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Tenant = "inf-binary";

    [Fact]
    public async Task Binary_inputs_and_outputs_mixed_with_json_match_numpy_byte_for_byte()
    {
        using var client = factory.CreateClient();
        await SetUpAsync(client);
        float[] a = [0.5f, 1.5f, -2.5f, 3f, 4.25f, 5f];
        long[] b = [1, -2, 3, 40, 5, -6];
        var header = $$$"""
            {"id": "bin-1", "parameters": {"binary_data_output": true},
             "inputs": [
               {"name": "a", "datatype": "FP32", "shape": [2, 3], "parameters": {"binary_data_size": 24}},
               {"name": "b", "datatype": "INT64", "shape": [2, 3], "data": [{{{string.Join(", ", b)}}}]}],
             "outputs": [{"name": "sum", "parameters": {"binary_data": false}}, {"name": "product"}]}
            """;

        var (status, json, binary, headerLength) = await SendAsync(client, "/v2/models/pair/infer", header, MemoryMarshal.AsBytes(a.AsSpan()).ToArray());

        Assert.True(status == HttpStatusCode.OK, json.ToJsonString());
        Assert.NotNull(headerLength);
        var outputs = json["outputs"]!.AsArray();
        Assert.Equal(["sum", "product"], outputs.Select(o => o!["name"]!.GetValue<string>()));
        Assert.Null(outputs[1]!["data"]);
        Assert.Equal(24, outputs[1]!["parameters"]!["binary_data_size"]!.GetValue<int>());
        Assert.Null(outputs[0]!["parameters"]);

        var reference = JsonNode.Parse($$"""
            {"inputs": [{"name": "a", "shape": [2, 3], "data": [{{string.Join(", ", a.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)))}}]},
                        {"name": "b", "shape": [2, 3], "data": [{{string.Join(", ", b)}}]}]}
            """)!.AsObject();
        var expected = await TestModels.ReferenceBytesAsync("two_inputs", reference);
        Assert.Equal(Convert.ToHexString(expected["product"]), Convert.ToHexString(binary));
        var sum = MemoryMarshal.Cast<byte, float>(expected["sum"]).ToArray();
        Assert.Equal(sum, outputs[0]!["data"]!.AsArray().Select(v => v!.GetValue<float>()));
    }

    [Fact]
    public async Task A_binary_batch_through_the_mlp_agrees_with_numpy()
    {
        using var client = factory.CreateClient();
        await SetUpAsync(client);
        var x = Enumerable.Range(0, 5 * 4).Select(i => (float)Math.Cos(i * 0.7)).ToArray();
        const string Header = """{"inputs": [{"name": "x", "datatype": "FP32", "shape": [5, 4], "parameters": {"binary_data_size": 80}}], "outputs": [{"name": "y", "parameters": {"binary_data": true}}]}""";

        var (status, json, binary, _) = await SendAsync(client, "/v2/models/dyn/infer", Header, MemoryMarshal.AsBytes(x.AsSpan()).ToArray());

        Assert.True(status == HttpStatusCode.OK, json.ToJsonString());
        Assert.Equal("[5,3]", json["outputs"]![0]!["shape"]!.ToJsonString());
        var actual = MemoryMarshal.Cast<byte, float>(binary).ToArray();
        var expected = (await TestModels.ReferenceAsync("dynamic_mlp", ModelClient.XRequest([5, 4], x)))["y"];
        Assert.Equal(expected.Length, actual.Length);
        Assert.All(expected.Zip(actual), p => Assert.Equal(p.First, p.Second, 1e-5));
    }

    [Theory]
    [InlineData(20, 24, "20 bytes, but FP32[2, 3] is 6 elements of 4 bytes = 24")]
    [InlineData(24, 30, "the body has 30 bytes after the JSON header")]
    [InlineData(32, 24, "32 bytes from byte 0 of the binary data, but only 24 remain")]
    public async Task Sizes_that_do_not_add_up_are_400_saying_which(int declared, int sent, string says)
    {
        using var client = factory.CreateClient();
        await SetUpAsync(client);
        var header = $$$"""{"inputs": [{"name": "a", "datatype": "FP32", "shape": [2, 3], "parameters": {"binary_data_size": {{{declared}}}}}, {"name": "b", "datatype": "INT64", "shape": [2, 3], "data": [1, 2, 3, 4, 5, 6]}]}""";

        var (status, json, _, _) = await SendAsync(client, "/v2/models/pair/infer", header, new byte[sent]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(says, json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(json["detail"]!.GetValue<string>(), json["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Binary_data_without_the_header_length_or_a_header_longer_than_the_body_is_400()
    {
        using var client = factory.CreateClient();
        await SetUpAsync(client);
        var (noHeader, missing) = await ModelClient.SendAsync(client, HttpMethod.Post, "/v2/models/pair/infer", Tenant,
            """{"inputs": [{"name": "a", "datatype": "FP32", "shape": [2, 3], "parameters": {"binary_data_size": 24}}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, noHeader);
        Assert.Contains("needs the Inference-Header-Content-Length header", missing!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/pair/infer") { Content = new ByteArrayContent("{}"u8.ToArray()) };
        request.Headers.Add("X-Keelson-Tenant", Tenant);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.Add("Inference-Header-Content-Length", "99");
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("99 bytes of JSON, but the body has only 2", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var (_, server) = await ModelClient.SendAsync(client, HttpMethod.Get, "/v2", null);
        Assert.Equal("[\"binary_tensor_data\"]", server!["extensions"]!.ToJsonString());
    }

    private static async Task<(HttpStatusCode Status, JsonNode Json, byte[] Binary, int? HeaderLength)> SendAsync(HttpClient client, string path, string header, byte[] binary)
    {
        var json = Encoding.UTF8.GetBytes(header);
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent([.. json, .. binary]) };
        request.Headers.Add("X-Keelson-Tenant", Tenant);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.Add("Inference-Header-Content-Length", json.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();
        int? length = response.Headers.TryGetValues("Inference-Header-Content-Length", out var values) || response.Content.Headers.TryGetValues("Inference-Header-Content-Length", out values)
            ? int.Parse(values.Single(), System.Globalization.CultureInfo.InvariantCulture) : null;
        var jsonLength = length ?? body.Length;
        return (response.StatusCode, JsonNode.Parse(body.AsSpan(0, jsonLength))!, body[jsonLength..], length);
    }

    private static async Task SetUpAsync(HttpClient client)
    {
        var (status, _) = await ModelClient.SendAsync(client, HttpMethod.Get, $"/api/v1/tenants/{Tenant}", null);
        if (status == HttpStatusCode.OK)
        {
            return;
        }

        await ModelClient.CreateTenantAsync(client, Tenant);
        await ModelClient.UploadModelAsync(client, Tenant, "pair", "two_inputs");
        await ModelClient.UploadModelAsync(client, Tenant, "dyn", "dynamic_mlp");
    }
}
