using System.Net;
using System.Text.Json.Nodes;
using Keelson.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Keelson.Server.Tests.Inference;

/// <summary>
/// OIP V2 inference on models built by python3-onnx, each output compared with what python3-numpy computes from the
/// same weights; bad requests answered 4xx naming the input and what the model expects.
/// </summary>
public sealed class InferenceEndpointsTests(InferenceEndpointsTests.Factory factory) : IClassFixture<InferenceEndpointsTests.Factory>
{
    private const string Tenant = "inf-one";

    /// <summary>The server with a small per-request element limit, so the size refusal is cheap to provoke.</summary>
    public sealed class Factory : ApiFactory
    {
        protected override void ConfigureSettings(IWebHostBuilder builder)
        {
            ArgumentNullException.ThrowIfNull(builder);
            builder.UseSetting("Keelson:Models:MaxRequestElements", "1000");
        }
    }

    [Fact]
    public async Task The_mlp_the_two_input_model_and_the_dynamic_batch_model_agree_with_numpy()
    {
        using var client = factory.CreateClient();
        await SetUpAsync(client);

        var mlp = ModelClient.XRequest([1, 4], [0.5f, -1.25f, 2f, 3.75f]);
        var (status, body) = await ModelClient.SendAsync(client, HttpMethod.Post, "/v2/models/mlp/infer", Tenant, mlp.ToJsonString());
        Assert.True(status == HttpStatusCode.OK, body?.ToJsonString());
        Assert.Equal(("mlp", "1", "FP32", "[1,3]"), (body!["model_name"]!.GetValue<string>(), body["model_version"]!.GetValue<string>(),
            body["outputs"]![0]!["datatype"]!.GetValue<string>(), body["outputs"]![0]!["shape"]!.ToJsonString()));
        ModelClient.AssertClose((await TestModels.ReferenceAsync("mlp", mlp))["y"], body, "y");

        var pair = JsonNode.Parse("""
            {"id": "req-7", "inputs": [
              {"name": "b", "datatype": "INT64", "shape": [2, 3], "data": [[1, -2, 3], [40, 5, -6]]},
              {"name": "a", "datatype": "FP32", "shape": [2, 3], "data": [0.5, 1.5, -2.5, 3, 4.25, 5]}],
             "outputs": [{"name": "product"}]}
            """)!.AsObject();
        var (pairStatus, pairBody) = await ModelClient.SendAsync(client, HttpMethod.Post, "/v2/models/pair/versions/1/infer", Tenant, pair.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, pairStatus);
        Assert.Equal(("req-7", 1), (pairBody!["id"]!.GetValue<string>(), pairBody["outputs"]!.AsArray().Count));
        ModelClient.AssertClose((await TestModels.ReferenceAsync("two_inputs", pair))["product"], pairBody, "product");

        var rows = Enumerable.Range(0, 7 * 4).Select(i => (float)Math.Sin(i)).ToArray();
        var batch = ModelClient.XRequest([7, 4], rows);
        var (batchStatus, batchBody) = await ModelClient.SendAsync(client, HttpMethod.Post, "/v2/models/dyn/infer", Tenant, batch.ToJsonString());
        Assert.Equal((HttpStatusCode.OK, "[7,3]"), (batchStatus, batchBody!["outputs"]![0]!["shape"]!.ToJsonString()));
        ModelClient.AssertClose((await TestModels.ReferenceAsync("dynamic_mlp", batch))["y"], batchBody, "y");
    }

    [Fact]
    public async Task Health_metadata_and_readiness_follow_the_protocol()
    {
        using var client = factory.CreateClient();
        await SetUpAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await ModelClient.SendAsync(client, HttpMethod.Get, "/v2/health/live", null)).Status);
        var (_, server) = await ModelClient.SendAsync(client, HttpMethod.Get, "/v2", null);
        Assert.Equal(("keelson", "[\"binary_tensor_data\"]"), (server!["name"]!.GetValue<string>(), server["extensions"]!.ToJsonString()));
        Assert.Equal(HttpStatusCode.OK, (await ModelClient.SendAsync(client, HttpMethod.Get, "/v2/health/ready", null)).Status);

        var (status, metadata) = await ModelClient.SendAsync(client, HttpMethod.Get, "/v2/models/dyn", Tenant);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("""{"name":"dyn","versions":["1"],"platform":"onnxruntime_onnx","inputs":[{"name":"x","datatype":"FP32","shape":[-1,4]}],"outputs":[{"name":"y","datatype":"FP32","shape":[-1,3]}]}""",
            metadata!.ToJsonString());
        var (readyStatus, ready) = await ModelClient.SendAsync(client, HttpMethod.Get, "/v2/models/dyn/versions/1/ready", Tenant);
        Assert.Equal((HttpStatusCode.OK, true), (readyStatus, ready!["ready"]!.GetValue<bool>()));
        Assert.Equal(HttpStatusCode.NotFound, (await ModelClient.SendAsync(client, HttpMethod.Get, "/v2/models/dyn/versions/9/ready", Tenant)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await ModelClient.SendAsync(client, HttpMethod.Get, "/v2/models/nothing", Tenant)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await ModelClient.SendAsync(client, HttpMethod.Get, "/v2/models/dyn", null)).Status);
    }

    [Fact]
    public async Task Bad_requests_are_4xx_naming_the_input_and_what_the_model_expects()
    {
        using var client = factory.CreateClient();
        await SetUpAsync(client);
        var cases = new (string Model, string Json, HttpStatusCode Status, string[] Says)[]
        {
            ("mlp", """{"inputs": [{"name": "x", "datatype": "FP64", "shape": [1, 4], "data": [1, 2, 3, 4]}]}""", HttpStatusCode.BadRequest, ["'x'", "must be FP32", "FP32[1, 4]"]),
            ("mlp", """{"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 5], "data": [1, 2, 3, 4, 5]}]}""", HttpStatusCode.BadRequest, ["'x'", "dimension 1 must be 4", "FP32[1, 4]"]),
            ("mlp", """{"inputs": [{"name": "x", "datatype": "FP32", "shape": [4], "data": [1, 2, 3, 4]}]}""", HttpStatusCode.BadRequest, ["'x'", "expects 2"]),
            ("mlp", """{"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 4], "data": [1, 2, 3]}]}""", HttpStatusCode.BadRequest, ["'x'", "3 values", "holds 4"]),
            ("mlp", """{"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 4], "data": [1, 2, "three", 4]}]}""", HttpStatusCode.BadRequest, ["data[2]", "not a number"]),
            ("dyn", """{"inputs": [{"name": "x", "datatype": "FP32", "shape": [-1, 4], "data": [1, 2, 3, 4]}]}""", HttpStatusCode.BadRequest, ["'x'", "'batch'", "give its size"]),
            ("pair", """{"inputs": [{"name": "a", "datatype": "FP32", "shape": [2, 3], "data": [1, 2, 3, 4, 5, 6]}]}""", HttpStatusCode.BadRequest, ["'b' is missing", "'b' INT64[2, 3]"]),
            ("mlp", """{"inputs": [{"name": "z", "datatype": "FP32", "shape": [1, 4], "data": [1, 2, 3, 4]}]}""", HttpStatusCode.BadRequest, ["no input 'z'", "'x' FP32[1, 4]"]),
            ("mlp", """{"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 4], "data": [1, 2, 3, 4]}], "outputs": [{"name": "logits"}]}""", HttpStatusCode.BadRequest, ["no output 'logits'"]),
            ("dyn", ModelClient.XRequest([300, 4], new float[1200]).ToJsonString(), HttpStatusCode.RequestEntityTooLarge, ["1200 elements", "at most 1000"]),
            ("mlp", """{"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 4], "data": [1, 2, 3, 4]}], "extra": 1}""", HttpStatusCode.BadRequest, ["extra"]),
            ("mlp", """{"inputs": """, HttpStatusCode.BadRequest, ["line 1, byte 12"]),
            ("nothing", """{"inputs": []}""", HttpStatusCode.NotFound, ["'nothing'"]),
        };
        foreach (var (model, json, expected, says) in cases)
        {
            var (status, body) = await ModelClient.SendAsync(client, HttpMethod.Post, $"/v2/models/{model}/infer", Tenant, json);
            Assert.True(expected == status, $"{json}: {status} {body?.ToJsonString()}");
            foreach (var text in says)
            {
                Assert.Contains(text, body!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            }

            if (body!["error"] is { } error)
            {
                Assert.Equal(body["detail"]!.GetValue<string>(), error.GetValue<string>());
            }
        }
    }

    private static async Task SetUpAsync(HttpClient client)
    {
        var (status, _) = await ModelClient.SendAsync(client, HttpMethod.Get, $"/api/v1/tenants/{Tenant}", null);
        if (status == HttpStatusCode.OK)
        {
            return;
        }

        await ModelClient.CreateTenantAsync(client, Tenant);
        await ModelClient.UploadModelAsync(client, Tenant, "mlp", "mlp");
        await ModelClient.UploadModelAsync(client, Tenant, "pair", "two_inputs");
        await ModelClient.UploadModelAsync(client, Tenant, "dyn", "dynamic_mlp");
    }
}
