using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Keelson.Testing;
using Microsoft.AspNetCore.Builder;

namespace Keelson.Server.Tests.Inference;

/// <summary>
/// The Open Inference Protocol over gRPC, called by a real peer — Debian's python3-grpcio with stubs its grpc_tools
/// generated — on a real <c>keelson serve</c> (Kestrel, cleartext HTTP/2 on <c>Keelson:Models:GrpcPort</c>) and on
/// <c>keelson serve --role inference</c>: every RPC, typed and raw tensors compared with numpy, Triton's status codes,
/// the REST routes' key rules and metrics.
/// </summary>
public sealed class GrpcInferenceTests : IAsyncLifetime, IDisposable
{
    private const string Tenant = "grpc-shop";
    private const string AdminKey = "grpc-admin-key";
    private const string TenantKey = "grpc-tenant-key";
    private const string OtherKey = "grpc-other-key";

    private readonly string data = Directory.CreateTempSubdirectory("keelson-grpc-").FullName;
    private readonly string url = $"http://127.0.0.1:{FreePort()}";
    private readonly int grpcPort = FreePort();
    private WebApplication server = null!;
    private HttpClient http = null!;

    public async Task InitializeAsync()
    {
        server = ServerApp.Build(["--urls", url, "--Keelson:DataDirectory", data, "--Keelson:Models:GrpcPort", Invariant(grpcPort),
            "--Keelson:AdminKeys:0", AdminKey, $"--Keelson:TenantKeys:{TenantKey}", Tenant, $"--Keelson:TenantKeys:{OtherKey}", "grpc-other"]);
        await server.StartAsync();
        http = new HttpClient { BaseAddress = new Uri(url) };
        await ModelClient.CreateTenantAsync(http, Tenant);
        await ModelClient.UploadModelAsync(http, Tenant, "mlp", "mlp");
        await ModelClient.UploadModelAsync(http, Tenant, "pair", "two_inputs");
        await ModelClient.UploadModelAsync(http, Tenant, "dyn", "dynamic_mlp");
    }

    public void Dispose() => http.Dispose();

    public async Task DisposeAsync()
    {
        await server.StopAsync();
        await server.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        ApiFactory.DeleteDirectory(data);
    }

    [Fact]
    public async Task Every_rpc_answers_python_grpcio_and_inference_agrees_with_numpy()
    {
        var mlp = ModelClient.XRequest([1, 4], [0.5f, -1.25f, 2f, 3.75f]);
        var rows = Enumerable.Range(0, 3 * 4).Select(i => (float)Math.Cos(i)).ToArray();
        var batch = ModelClient.XRequest([3, 4], rows);
        float[] a = [0.5f, 1.5f, -2.5f, 3f, 4.25f, 5f];
        long[] b = [1, -2, 3, 40, 5, -6];
        var pair = JsonNode.Parse($$"""
            {"inputs": [{"name": "a", "datatype": "FP32", "shape": [2, 3], "data": {{Json(a)}}},
                        {"name": "b", "datatype": "INT64", "shape": [2, 3], "data": {{Json(b)}}}]}
            """)!.AsObject();
        var tenant = new JsonObject { ["x-keelson-tenant"] = Tenant };

        var answers = await CallAsync(grpcPort,
            Call("ServerLive"), Call("ServerReady"), Call("ServerMetadata"),
            Call("ModelMetadata", new JsonObject { ["name"] = "dyn" }, tenant),
            Call("ModelReady", new JsonObject { ["name"] = "dyn", ["version"] = "1" }, tenant),
            Call("ModelInfer", Typed("mlp", "x", [1, 4], "fp32_contents", Json(mlp["inputs"]![0]!["data"]!), id: "req-7"), tenant),
            Call("ModelInfer", Typed("dyn", "x", [3, 4], "fp32_contents", Json(rows)), tenant),
            Call("ModelInfer", new JsonObject
            {
                ["model_name"] = "pair", ["model_version"] = "1",
                ["inputs"] = JsonNode.Parse("""[{"name": "a", "datatype": "FP32", "shape": [2, 3]}, {"name": "b", "datatype": "INT64", "shape": [2, 3]}]"""),
                ["raw_input_contents"] = new JsonArray(Raw(a.SelectMany(BitConverter.GetBytes)), Raw(b.SelectMany(v => { var bytes = new byte[8]; BinaryPrimitives.WriteInt64LittleEndian(bytes, v); return bytes; }))),
            }, tenant));

        Assert.All(answers, answer => Assert.True(answer["code"]!.GetValue<string>() == "OK", answer.ToJsonString()));
        Assert.True(answers[0]["response"]!["live"]!.GetValue<bool>());
        Assert.True(answers[1]["response"]!["ready"]!.GetValue<bool>());
        Assert.Equal(("keelson", """["binary_tensor_data"]"""), (answers[2]["response"]!["name"]!.GetValue<string>(), answers[2]["response"]!["extensions"]!.ToJsonString()));
        Assert.Equal("""{"name":"dyn","versions":["1"],"platform":"onnxruntime_onnx","inputs":[{"name":"x","datatype":"FP32","shape":["-1","4"]}],"outputs":[{"name":"y","datatype":"FP32","shape":["-1","3"]}]}""",
            answers[3]["response"]!.ToJsonString());
        Assert.True(answers[4]["response"]!["ready"]!.GetValue<bool>());

        // Typed contents in, typed contents out, the id echoed; raw in, raw out (decoded by numpy in the client).
        var typed = answers[5]["response"]!;
        Assert.Equal(("mlp", "1", "req-7", "FP32", """["1","3"]"""), (typed["model_name"]!.GetValue<string>(), typed["model_version"]!.GetValue<string>(),
            typed["id"]!.GetValue<string>(), typed["outputs"]![0]!["datatype"]!.GetValue<string>(), typed["outputs"]![0]!["shape"]!.ToJsonString()));
        Assert.NotNull(typed["outputs"]![0]!["contents"]);
        AssertClose((await TestModels.ReferenceAsync("mlp", mlp))["y"], answers[5], "y");
        Assert.Equal("""["3","3"]""", answers[6]["response"]!["outputs"]![0]!["shape"]!.ToJsonString());
        AssertClose((await TestModels.ReferenceAsync("dynamic_mlp", batch))["y"], answers[6], "y");
        Assert.Equal(2, answers[7]["response"]!["raw_output_contents"]!.AsArray().Count);
        Assert.Null(answers[7]["response"]!["outputs"]![0]!["contents"]);
        var reference = await TestModels.ReferenceAsync("two_inputs", pair);
        AssertClose(reference["sum"], answers[7], "sum");
        AssertClose(reference["product"], answers[7], "product");

        // The same per-model metrics as REST: these gRPC calls are the only requests the models had.
        var exposition = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        foreach (var (model, count) in new[] { ("mlp", 1), ("dyn", 1), ("pair", 1) })
        {
            Assert.Contains($"keelson_inference_requests_total{{tenant=\"{Tenant}\",model=\"{model}\",version=\"1\",outcome=\"success\"}} {count}", exposition, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Refusals_are_triton_status_codes_naming_the_input_and_what_the_model_expects()
    {
        var tenant = new JsonObject { ["x-keelson-tenant"] = Tenant };
        var answers = await CallAsync(grpcPort,
            Call("ModelInfer", Typed("mlp", "z", [1, 4], "fp32_contents", "[1, 2, 3, 4]"), tenant),
            Call("ModelInfer", Typed("mlp", "x", [1, 4], "int_contents", "[1, 2, 3, 4]"), tenant),
            Call("ModelInfer", Typed("mlp", "x", [1, 5], "fp32_contents", "[1, 2, 3, 4, 5]"), tenant),
            Call("ModelInfer", Typed("mlp", "x", [1, 4], "fp32_contents", "[1, 2, 3]"), tenant),
            Call("ModelInfer", new JsonObject
            {
                ["model_name"] = "mlp", ["inputs"] = JsonNode.Parse("""[{"name": "x", "datatype": "FP32", "shape": [1, 4]}]"""),
                ["raw_input_contents"] = new JsonArray(Raw(new byte[12])),
            }, tenant),
            Call("ModelInfer", Typed("nothing", "x", [1, 4], "fp32_contents", "[1, 2, 3, 4]"), tenant),
            Call("ModelMetadata", new JsonObject { ["name"] = "mlp", ["version"] = "9" }, tenant),
            Call("ModelReady", new JsonObject { ["name"] = "mlp", ["version"] = "staging" }, tenant),
            Call("ModelMetadata", new JsonObject { ["name"] = "mlp" }));

        Assert.Equal(["INVALID_ARGUMENT", "INVALID_ARGUMENT", "INVALID_ARGUMENT", "INVALID_ARGUMENT", "INVALID_ARGUMENT", "NOT_FOUND", "NOT_FOUND", "NOT_FOUND", "INVALID_ARGUMENT"],
            answers.Select(a => a["code"]!.GetValue<string>()));
        Assert.Equal("model 'mlp' version 1: the model has no input 'z'; its inputs are 'x' FP32[1, 4]", Details(answers[0]));
        Assert.Equal("model 'mlp' version 1: inputs[0] ('x').contents: FP32 elements go in fp32_contents, not int_contents", Details(answers[1]));
        Assert.Equal("model 'mlp' version 1: input 'x' has shape [1, 5]; dimension 1 must be 4 (expected FP32[1, 4])", Details(answers[2]));
        Assert.Equal("model 'mlp' version 1: input 'x' has 3 values but shape [1, 4] holds 4", Details(answers[3]));
        Assert.Equal("model 'mlp' version 1: inputs[0] ('x') (raw_input_contents[0]).parameters.binary_data_size: 12 bytes, but FP32[1, 4] is 4 elements of 4 bytes = 16", Details(answers[4]));
        Assert.Contains("has no version or alias 'staging' of model 'mlp'", Details(answers[7]), StringComparison.Ordinal);
        Assert.Contains("Name the tenant in the X-Keelson-Tenant header", Details(answers[8]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_calls_follow_the_rest_key_rules()
    {
        await CreateProductionModelAsync();
        var production = new JsonObject { ["x-demo-mode"] = "false" };
        var infer = Typed("mlp", "x", [1, 4], "fp32_contents", "[1, 2, 3, 4]");
        var answers = await CallAsync(grpcPort,
            Call("ModelInfer", infer, production),
            Call("ModelInfer", infer, new JsonObject { ["x-demo-mode"] = "false", ["x-api-key"] = "not-a-key" }),
            Call("ModelInfer", infer, new JsonObject { ["x-demo-mode"] = "false", ["x-api-key"] = OtherKey, ["x-keelson-tenant"] = Tenant }),
            Call("ModelInfer", infer, new JsonObject { ["x-demo-mode"] = "false", ["authorization"] = "Bearer " + TenantKey }),
            Call("ModelReady", new JsonObject { ["name"] = "mlp" }, new JsonObject { ["x-demo-mode"] = "false", ["x-api-key"] = AdminKey, ["x-keelson-tenant"] = Tenant }),
            Call("ModelInfer", infer, new JsonObject { ["x-demo-mode"] = "maybe" }));

        Assert.Equal(["UNAUTHENTICATED", "UNAUTHENTICATED", "PERMISSION_DENIED", "OK", "OK", "INVALID_ARGUMENT"], answers.Select(a => a["code"]!.GetValue<string>()));
        Assert.Equal("The key is scoped to tenant 'grpc-other'.", Details(answers[2]));

        // The tenant's key names its tenant, and the answer comes from the production database's version (the MLP with other weights).
        AssertClose((await TestModels.ReferenceAsync("mlp_v2", ModelClient.XRequest([1, 4], [1, 2, 3, 4])))["y"], answers[3], "y");
        Assert.All(answers, a => Assert.DoesNotContain(TenantKey, a.ToJsonString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_inference_role_serves_grpc_for_its_pulled_model_once_loaded()
    {
        // The Deployment Keelson renders for a registry model with grpc: true: a second port, in the Service and the NetworkPolicy.
        var parsed = Keelson.Spec.Parsing.StackParser.Parse($$"""
            apiVersion: keelson.dev/v1alpha1
            kind: Stack
            metadata:
              tenant: {{Tenant}}
              environment: prod
            cluster:
              profile: aws-general
            components:
              - name: scorer
                kind: model
                registry: {server: "{{url}}", tenant: {{Tenant}}, model: ranker, version: 1, grpc: true}
                replicas: 1
              - name: web
                kind: service
                image: nginx:1.27
                port: 8080
                replicas: 1
                dependsOn: [scorer]
            """, "stack.yaml");
        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Diagnostics));
        var objects = Keelson.Rendering.ManifestRenderer.Default.Render(Keelson.Planning.Planner.Default.Plan(parsed.Value!).Plan!).Objects.Select(o => o.Resource).ToList();
        var container = Assert.Single(objects.OfType<k8s.Models.V1Deployment>().Single(d => d.Metadata.Name == "scorer").Spec.Template.Spec.Containers);
        Assert.Equal([("http", 8000), ("grpc", 8081)], container.Ports.Select(p => (p.Name, p.ContainerPort)));
        Assert.Contains(objects.OfType<k8s.Models.V1Service>(), v => v.Spec.Ports.Select(p => (p.Name, p.Port)).SequenceEqual([("http", 8000), ("grpc", 8081)]));
        Assert.Contains(objects.OfType<k8s.Models.V1NetworkPolicy>(), n => n.Spec.Ingress?.Any(rule => rule.Ports?.Select(p => p.Port.Value).SequenceEqual(["8000", "8081"]) == true) == true);
        var args = container.Args.ToList();
        Assert.Equal(["serve", "--role", "inference"], args[..3]);
        Assert.Equal("8081", args[args.IndexOf("--Keelson:Models:GrpcPort") + 1]);

        // Run with those arguments, on free loopback ports and a writable directory, reading the registry's demo database.
        var rolePort = FreePort();
        var roleUrl = $"http://127.0.0.1:{FreePort()}";
        var roleData = Directory.CreateTempSubdirectory("keelson-grpc-role-").FullName;
        args[args.IndexOf("--urls") + 1] = roleUrl;
        args[args.IndexOf("--Keelson:Models:GrpcPort") + 1] = Invariant(rolePort);
        args[args.IndexOf("--Keelson:DataDirectory") + 1] = roleData;
        var role = InferenceApp.Build([.. args[3..], "--Keelson:Models:RegistryDemo", "true"]);
        await role.StartAsync();
        try
        {
            var infer = Typed("ranker", "x", [2, 4], "fp32_contents", "[1, 2, 3, 4, -1, 0.5, 0.25, 8]");
            var before = await CallAsync(rolePort, Call("ServerLive"), Call("ServerReady"), Call("ModelReady", new JsonObject { ["name"] = "ranker" }), Call("ModelInfer", infer));
            Assert.Equal(("OK", true, false, false, "UNAVAILABLE"), (before[0]["code"]!.GetValue<string>(), before[0]["response"]!["live"]!.GetValue<bool>(),
                before[1]["response"]!["ready"]?.GetValue<bool>() ?? false, before[2]["response"]!["ready"]?.GetValue<bool>() ?? false, before[3]["code"]!.GetValue<string>()));
            Assert.Contains("is being pulled from", Details(before[3]), StringComparison.Ordinal);

            await ModelClient.UploadModelAsync(http, Tenant, "ranker", "dynamic_mlp");
            using var roleHttp = new HttpClient { BaseAddress = new Uri(roleUrl) };
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await roleHttp.GetAsync(new Uri("/v2/health/ready", UriKind.Relative))).StatusCode != HttpStatusCode.OK)
            {
                Assert.True(DateTime.UtcNow < deadline, "the role did not load ranker within 60 s");
                await Task.Delay(100);
            }

            var after = await CallAsync(rolePort, Call("ServerReady"), Call("ModelReady", new JsonObject { ["name"] = "ranker" }),
                Call("ModelMetadata", new JsonObject { ["name"] = "ranker" }), Call("ModelInfer", infer), Call("ModelReady", new JsonObject { ["name"] = "other" }),
                Call("ModelInfer", Typed("ranker", "x", [2, 4], "fp32_contents", "[1, 2, 3, 4, -1, 0.5, 0.25, 8]", version: "2")));
            Assert.Equal(["OK", "OK", "OK", "OK", "NOT_FOUND", "NOT_FOUND"], after.Select(a => a["code"]!.GetValue<string>()));
            Assert.True(after[0]["response"]!["ready"]!.GetValue<bool>());
            Assert.True(after[1]["response"]!["ready"]!.GetValue<bool>());
            Assert.Equal("""["1"]""", after[2]["response"]!["versions"]!.ToJsonString());
            Assert.Equal("1", after[3]["response"]!["model_version"]!.GetValue<string>());
            AssertClose((await TestModels.ReferenceAsync("dynamic_mlp", ModelClient.XRequest([2, 4], [1, 2, 3, 4, -1, 0.5f, 0.25f, 8])))["y"], after[3], "y");
            Assert.Contains("runs in the inference role for model 'ranker'", Details(after[4]), StringComparison.Ordinal);

            var exposition = await roleHttp.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            Assert.Contains($"keelson_inference_requests_total{{tenant=\"{Tenant}\",model=\"ranker\",version=\"1\",outcome=\"success\"}} 1", exposition, StringComparison.Ordinal);
        }
        finally
        {
            await role.StopAsync();
            await role.DisposeAsync();
            ApiFactory.DeleteDirectory(roleData);
        }
    }

    [Fact]
    public async Task The_grpc_port_speaks_only_grpc_and_rest_stays_on_its_own()
    {
        // REST on the HTTP/1.1 address is unchanged; the gRPC address refuses HTTP/1.1 (Kestrel's 400 for an HTTP/2-only endpoint).
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/v2/health/live", UriKind.Relative))).StatusCode);
        using var plain = new HttpClient();
        using var refused = await plain.GetAsync(new Uri($"http://127.0.0.1:{grpcPort}/v2/health/live"));
        Assert.Equal((HttpStatusCode.BadRequest, new Version(1, 1)), (refused.StatusCode, refused.Version));

        // A gRPC call on the REST address is not answered as gRPC.
        var answers = await CallAsync(new Uri(url).Port, Call("ServerLive"));
        Assert.Equal("UNAVAILABLE", answers[0]["code"]!.GetValue<string>());
    }

    private async Task CreateProductionModelAsync()
    {
        using var tenantRequest = new HttpRequestMessage(HttpMethod.Post, "/api/v1/tenants/")
        {
            Content = new StringContent(Api.DeploymentEndpointsTests.Request(Tenant).ToJsonString(), Encoding.UTF8, "application/json"),
        };
        using var upload = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/tenants/{Tenant}/models/mlp/versions") { Content = new ByteArrayContent(await TestModels.BytesAsync("mlp_v2")) };
        upload.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        foreach (var request in new[] { tenantRequest, upload })
        {
            request.Headers.Add("X-Demo-Mode", "false");
            request.Headers.Add("X-API-Key", AdminKey);
            using var response = await http.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
    }

    private static JsonObject Call(string rpc, JsonObject? request = null, JsonObject? metadata = null) => new()
    {
        ["rpc"] = rpc, ["request"] = request?.DeepClone() ?? new JsonObject(), ["metadata"] = metadata?.DeepClone() ?? new JsonObject(),
    };

    private static JsonObject Typed(string model, string input, long[] shape, string field, string values, string? id = null, string? version = null)
    {
        var request = JsonNode.Parse($$$"""
            {"model_name": "{{{model}}}", "inputs": [{"name": "{{{input}}}", "datatype": "FP32", "shape": {{{Json(shape)}}}, "contents": {"{{{field}}}": {{{values}}}}}]}
            """)!.AsObject();
        if (id is not null)
        {
            request["id"] = id;
        }

        if (version is not null)
        {
            request["model_version"] = version;
        }

        return request;
    }

    /// <summary>Runs the calls with python3-grpcio in one client process; one answer per call.</summary>
    private static async Task<JsonNode[]> CallAsync(int port, params JsonObject[] calls)
    {
        var file = Path.Combine(Path.GetTempPath(), $"keelson-grpc-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, new JsonArray([.. calls]).ToJsonString());
        try
        {
            var output = await ExternalProcess.RunAsync("/usr/bin/python3", [Path.Combine(AppContext.BaseDirectory, "grpc", "oip_grpc_client.py"), $"127.0.0.1:{Invariant(port)}", file],
                TimeSpan.FromMinutes(2));
            JsonNode[] answers = [.. JsonNode.Parse(output)!.AsArray().Select(a => a!)];
            Assert.Equal(calls.Length, answers.Length);
            return answers;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static void AssertClose(double[] expected, JsonNode answer, string name)
    {
        var actual = answer["outputs"]![name]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < actual.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * Math.Max(1, Math.Abs(expected[i])), $"{name}[{i}]: numpy {expected[i]}, server {actual[i]}");
        }
    }

    private static string Details(JsonNode answer) => answer["details"]!.GetValue<string>();

    private static string Raw(IEnumerable<byte> bytes) => Convert.ToBase64String([.. bytes]);

    private static string Json<T>(IEnumerable<T> values) => new JsonArray([.. values.Select(v => JsonValue.Create(v))]).ToJsonString();

    private static string Json(JsonNode node) => node.ToJsonString();

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
