using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Keelson.Inference;
using Keelson.Server;
using Keelson.Testing;
using Microsoft.ML.OnnxRuntime;

namespace Keelson.Bench;

/// <summary>
/// Side by side in one run: the raw ONNX Runtime call and Keelson's OIP V2 endpoint over HTTP (loopback, keep-alive),
/// at 1 and 16 concurrent clients, with dynamic batching off and on, on the tests' small MLP (4 → 8 → 3, dynamic batch,
/// built by python3-onnx) and a wide one (4 → 2048 → 2048 → 3) whose run costs more than the HTTP request around it.
/// Prints a markdown table of p50, p99 and requests per second.
/// </summary>
internal static class InferenceBench
{
    private const string Body = """{"inputs": [{"name": "x", "datatype": "FP32", "shape": [1, 4], "data": [0.5, -1.25, 2.0, 3.75]}]}""";

    public static async Task RunAsync(TimeSpan duration)
    {
        var models = Directory.CreateTempSubdirectory("keelson-bench-onnx-").FullName;
        var data = Directory.CreateTempSubdirectory("keelson-bench-data-").FullName;
        try
        {
            var script = Path.Combine(Repo.Root, "tests", "Shared", "Models", "onnx_models.py");
            Run("/usr/bin/python3", script, "build", models);
            Run("/usr/bin/python3", script, "build-wide", models);
            var file = Path.Combine(models, "dynamic_mlp.onnx");
            var wide = Path.Combine(models, "wide_mlp.onnx");
            var rows = new List<string> { "| path | clients | batching | p50 | p99 | requests/s |", "|---|---|---|---|---|---|" };

            foreach (var (name, path) in new[] { ("MLP 4-8-3", file), ("wide MLP 4-2048-2048-3", wide) })
            {
                using var session = SessionCache.Open(path, new InferenceOptions());
                foreach (var clients in new[] { 1, 16 })
                {
                    rows.Add(Row($"raw ONNX Runtime `Run`, {name}", clients, "—", await MeasureAsync(clients, duration, () => { RawCall(session); return Task.CompletedTask; })));
                }
            }

            var port = FreePort();
            var grpcPort = FreePort();
            await using var app = ServerApp.Build(["--urls", $"http://127.0.0.1:{port}", "--Keelson:DataDirectory", data, "--Logging:LogLevel:Default", "Warning",
                "--Keelson:Models:GrpcPort", grpcPort.ToString(CultureInfo.InvariantCulture)]);
            await app.StartAsync();
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = Timeout.InfiniteTimeSpan }) { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            await SetUpAsync(http, file, wide);
            foreach (var (model, batching) in new[] { ("mlp", "off"), ("mlp-batched", "max 16, 500 µs"), ("wide", "off"), ("wide-batched", "max 16, 500 µs") })
            {
                foreach (var clients in new[] { 1, 16 })
                {
                    rows.Add(Row($"V2 `POST /v2/models/{model}/infer`", clients, batching, await MeasureAsync(clients, duration, () => InferAsync(http, model))));
                }
            }

            // The same model over gRPC (typed contents, h2c); one channel multiplexes the clients' calls as gRPC clients do.
            using var channel = Grpc.Net.Client.GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}");
            var grpc = new global::Inference.GRPCInferenceService.GRPCInferenceServiceClient(channel);
            foreach (var (model, batching) in new[] { ("mlp", "off"), ("mlp-batched", "max 16, 500 µs") })
            {
                foreach (var clients in new[] { 1, 16 })
                {
                    rows.Add(Row($"gRPC `ModelInfer` {model}", clients, batching, await MeasureAsync(clients, duration, () => GrpcInferAsync(grpc, model))));
                }
            }

            await app.StopAsync();
            System.Console.WriteLine(string.Join('\n', rows));
        }
        finally
        {
            Directory.Delete(models, true);
            Directory.Delete(data, true);
        }
    }

    private static void RawCall(InferenceSession session)
    {
        // What a caller of ONNX Runtime does per request: wrap the input, run, copy the output out.
        float[] x = [0.5f, -1.25f, 2f, 3.75f];
        using var input = OrtValue.CreateTensorValueFromMemory(x, [1, 4]);
        using var options = new RunOptions();
        using var outputs = session.Run(options, ["x"], [input], ["y"]);
        _ = outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static async Task InferAsync(HttpClient http, string model)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v2/models/{model}/infer") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Keelson-Tenant", "bench");
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task GrpcInferAsync(global::Inference.GRPCInferenceService.GRPCInferenceServiceClient grpc, string model)
    {
        var request = new global::Inference.ModelInferRequest { ModelName = model };
        request.Inputs.Add(new global::Inference.ModelInferRequest.Types.InferInputTensor
        {
            Name = "x", Datatype = "FP32", Shape = { 1, 4 }, Contents = new global::Inference.InferTensorContents { Fp32Contents = { 0.5f, -1.25f, 2f, 3.75f } },
        });
        var metadata = new Grpc.Core.Metadata { { "x-keelson-tenant", "bench" } };
        var response = await grpc.ModelInferAsync(request, metadata);
        _ = response.Outputs[0].Contents.Fp32Contents.Count;
    }

    private static async Task SetUpAsync(HttpClient http, string file, string wide)
    {
        await Send(http, HttpMethod.Post, "api/v1/tenants/", new StringContent("""{"tenant_id": "bench", "name": "bench", "service_requirements": {"chatbot": 10}}""", Encoding.UTF8, "application/json"));
        foreach (var (model, path) in new[] { ("mlp", file), ("mlp-batched", file), ("wide", wide), ("wide-batched", wide) })
        {
            var content = new ByteArrayContent(await File.ReadAllBytesAsync(path));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            await Send(http, HttpMethod.Post, $"api/v1/tenants/bench/models/{model}/versions", content);
        }

        foreach (var model in new[] { "mlp-batched", "wide-batched" })
        {
            await Send(http, HttpMethod.Put, $"api/v1/tenants/bench/models/{model}/serving",
                new StringContent("""{"max_batch_size": 16, "max_queue_delay_us": 500, "max_concurrency": 2}""", Encoding.UTF8, "application/json"));
        }
    }

    private static async Task Send(HttpClient http, HttpMethod method, string path, HttpContent content)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    // Closed loop: each client sends its next request when the last one is answered; a warm-up of a second is not counted.
    private static async Task<(double P50, double P99, double PerSecond)> MeasureAsync(int clients, TimeSpan duration, Func<Task> call)
    {
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed < TimeSpan.FromSeconds(1))
        {
            await call();
        }

        var latencies = new List<double>[clients];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>(100_000);
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                await call();
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })));
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return (all[all.Length / 2], all[(int)(all.Length * 0.99)], all.Length / clock.Elapsed.TotalSeconds);
    }

    private static string Row(string path, int clients, string batching, (double P50, double P99, double PerSecond) m) =>
        string.Create(CultureInfo.InvariantCulture, $"| {path} | {clients} | {batching} | {m.P50:0.000} ms | {m.P99:0.000} ms | {m.PerSecond:#,0} |");

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)}: {process.StandardError.ReadToEnd()} (needs Debian's python3-onnx and python3-numpy)");
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
