using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Keelson.Testing;

namespace Keelson.Server.Tests.Inference;

/// <summary>BYTES served as JSON strings and as length-prefixed binary elements, through ONNX string tensors, against Python.</summary>
public sealed class BytesTensorTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    private const string Tenant = "inf-words";
    private static readonly string[] Text = ["hello", "café au lait", ""];

    [Fact]
    public async Task Bytes_in_json_are_strings_and_agree_with_python()
    {
        using var client = factory.CreateClient();
        await SetUpAsync(client);
        var request = new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject { ["name"] = "text", ["datatype"] = "BYTES", ["shape"] = new JsonArray(3), ["data"] = new JsonArray([.. Text.Select(t => JsonValue.Create(t))]) }),
        };

        var (status, body) = await ModelClient.SendAsync(client, HttpMethod.Post, "/v2/models/words/infer", Tenant, request.ToJsonString());

        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        var reference = await ReferenceAsync(request);
        foreach (var output in body!["outputs"]!.AsArray())
        {
            Assert.Equal("BYTES", output!["datatype"]!.GetValue<string>());
            Assert.Equal(reference[output["name"]!.GetValue<string>()], output["data"]!.AsArray().Select(v => v!.GetValue<string>()));
        }

        var (bad, problem) = await ModelClient.SendAsync(client, HttpMethod.Post, "/v2/models/words/infer", Tenant,
            """{"inputs": [{"name": "text", "datatype": "BYTES", "shape": [3], "data": ["a", 2, "c"]}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("data[1]: 2 is not a string (BYTES)", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bytes_in_the_binary_extension_are_length_prefixed_both_ways()
    {
        using var client = factory.CreateClient();
        await SetUpAsync(client);
        var elements = Prefixed(Text);
        var header = Encoding.UTF8.GetBytes($$$"""
            {"inputs": [{"name": "text", "datatype": "BYTES", "shape": [3], "parameters": {"binary_data_size": {{{elements.Length}}}}}],
             "outputs": [{"name": "upper", "parameters": {"binary_data": true}}]}
            """);
        var (status, body, length) = await SendBinaryAsync(client, header, elements);

        Assert.True(status == HttpStatusCode.OK, Encoding.UTF8.GetString(body));
        var reference = await ReferenceAsync(new JsonObject
        {
            ["inputs"] = new JsonArray(new JsonObject { ["name"] = "text", ["shape"] = new JsonArray(3), ["data"] = new JsonArray([.. Text.Select(t => JsonValue.Create(t))]) }),
        });
        Assert.Equal(Convert.ToHexString(Prefixed(reference["upper"])), Convert.ToHexString(body[length!.Value..]));

        // A length running past the data, and bytes that are not UTF-8, are 400s naming the element.
        var (past, pastBody, _) = await SendBinaryAsync(client, Header(8), [5, 0, 0, 0, (byte)'a', 0, 0, 0]);
        Assert.Equal(HttpStatusCode.BadRequest, past);
        Assert.Contains("BYTES element 0 is 5 bytes long but only 4 remain", Encoding.UTF8.GetString(pastBody), StringComparison.Ordinal);
        var (notText, notTextBody, _) = await SendBinaryAsync(client, Header(15), [1, 0, 0, 0, 0xFF, 1, 0, 0, 0, (byte)'b', 1, 0, 0, 0, (byte)'c']);
        Assert.Equal(HttpStatusCode.BadRequest, notText);
        Assert.Contains("BYTES element 0 is not UTF-8", Encoding.UTF8.GetString(notTextBody), StringComparison.Ordinal);
    }

    private static byte[] Header(int size) => Encoding.UTF8.GetBytes($$$"""{"inputs": [{"name": "text", "datatype": "BYTES", "shape": [3], "parameters": {"binary_data_size": {{{size}}}}}]}""");

    private static byte[] Prefixed(IEnumerable<string> strings)
    {
        var bytes = new List<byte>();
        foreach (var s in strings)
        {
            var utf8 = Encoding.UTF8.GetBytes(s);
            var length = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
            bytes.AddRange(length);
            bytes.AddRange(utf8);
        }

        return [.. bytes];
    }

    private static async Task<Dictionary<string, string[]>> ReferenceAsync(JsonObject request)
    {
        var file = Path.Combine(Path.GetTempPath(), $"keelson-words-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, request.ToJsonString());
        try
        {
            var directory = Path.GetDirectoryName(await ModelPathAsync())!;
            var output = await ExternalProcess.RunAsync("/usr/bin/python3", [TestModels.Script, "reference", directory, "words", file], TimeSpan.FromMinutes(1));
            return JsonNode.Parse(output)!.AsObject().ToDictionary(p => p.Key, p => p.Value!["data"]!.AsArray().Select(v => v!.GetValue<string>()).ToArray());
        }
        finally
        {
            File.Delete(file);
        }
    }

    // The directory the models were built in, found through a built model's bytes being there.
    private static async Task<string> ModelPathAsync()
    {
        await TestModels.BytesAsync("words");
        return TestModels.PathOf("words");
    }

    private static async Task<(HttpStatusCode Status, byte[] Body, int? HeaderLength)> SendBinaryAsync(HttpClient client, byte[] header, byte[] binary)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/models/words/infer") { Content = new ByteArrayContent([.. header, .. binary]) };
        request.Headers.Add("X-Keelson-Tenant", Tenant);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.Add("Inference-Header-Content-Length", header.Length.ToString(CultureInfo.InvariantCulture));
        using var response = await client.SendAsync(request);
        int? length = response.Headers.TryGetValues("Inference-Header-Content-Length", out var values) ? int.Parse(values.Single(), CultureInfo.InvariantCulture) : null;
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(), length);
    }

    private static async Task SetUpAsync(HttpClient client)
    {
        var (status, _) = await ModelClient.SendAsync(client, HttpMethod.Get, $"/api/v1/tenants/{Tenant}", null);
        if (status != HttpStatusCode.OK)
        {
            await ModelClient.CreateTenantAsync(client, Tenant);
            await ModelClient.UploadModelAsync(client, Tenant, "words", "words");
        }
    }
}
