using System.Text.Json.Nodes;

namespace Keelson.Testing;

/// <summary>
/// The ONNX models the registry and inference tests use, built once per test run by <c>onnx_models.py</c> with Debian's
/// python3-onnx (an MLP with batch 1, the same MLP with a dynamic batch dimension and a second set of weights, a model
/// with two inputs), and reference outputs computed by python3-numpy from the same weights — never by ONNX Runtime.
/// </summary>
public static class TestModels
{
    private static readonly Lazy<Task<string>> Built = new(BuildAsync);

    /// <summary>The script, copied next to the test assembly.</summary>
    public static string Script => Path.Combine(AppContext.BaseDirectory, "models", "onnx_models.py");

    /// <summary>The bytes of a built model: <c>mlp</c>, <c>dynamic_mlp</c>, <c>mlp_v2</c>, <c>two_inputs</c>, <c>halves</c> (FP16/BF16 casts), <c>words</c> (BYTES).</summary>
    public static async Task<byte[]> BytesAsync(string model) =>
        await File.ReadAllBytesAsync(Path.Combine(await Built.Value.ConfigureAwait(false), model + ".onnx")).ConfigureAwait(false);

    /// <summary>The path of a built model's file (after <see cref="BytesAsync"/> has built them).</summary>
    public static string PathOf(string model) => Path.Combine(Built.Value.Result, model + ".onnx");

    /// <summary>What numpy computes for <paramref name="request"/> (an OIP V2 request body): output name → flat values.</summary>
    public static async Task<IReadOnlyDictionary<string, double[]>> ReferenceAsync(string model, JsonObject request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var directory = await Built.Value.ConfigureAwait(false);
        var file = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(file, request.ToJsonString()).ConfigureAwait(false);
        var output = await ExternalProcess.RunAsync("/usr/bin/python3", [Script, "reference", directory, model, file], TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        File.Delete(file);
        return JsonNode.Parse(output)!.AsObject().ToDictionary(p => p.Key, p => p.Value!["data"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray());
    }

    /// <summary>What numpy computes for <paramref name="request"/>, as each output's little-endian bytes (the binary tensor extension's form).</summary>
    public static async Task<IReadOnlyDictionary<string, byte[]>> ReferenceBytesAsync(string model, JsonObject request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var directory = await Built.Value.ConfigureAwait(false);
        var file = Path.Combine(directory, Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(file, request.ToJsonString()).ConfigureAwait(false);
        var output = await ExternalProcess.RunAsync("/usr/bin/python3", [Script, "reference-bytes", directory, model, file], TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        File.Delete(file);
        return JsonNode.Parse(output)!.AsObject().ToDictionary(p => p.Key, p => Convert.FromHexString(p.Value!.GetValue<string>()));
    }

    private static async Task<string> BuildAsync()
    {
        var directory = Directory.CreateTempSubdirectory("keelson-onnx-").FullName;
        try
        {
            await ExternalProcess.RunAsync("/usr/bin/python3", [Script, "build", directory], TimeSpan.FromMinutes(2)).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException("Building the test models needs Debian's python3-onnx and python3-numpy (./test installs them).", e);
        }

        return directory;
    }
}
