using Keelson.Operations.Models;
using Microsoft.ML.OnnxRuntime;

namespace Keelson.Inference;

/// <summary>Proves an upload loads in ONNX Runtime, and that the runtime sees the inputs and outputs the file declares.</summary>
public sealed class OnnxModelVerifier(InferenceOptions options) : IModelVerifier
{
    /// <inheritdoc />
    public Task VerifyAsync(string path, OnnxModelInfo info, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        try
        {
            using var session = SessionCache.Open(path, options);
            var inputs = session.InputMetadata.Keys.Order(StringComparer.Ordinal).ToList();
            var declared = info.Inputs.Select(i => i.Name).Order(StringComparer.Ordinal).ToList();
            if (!inputs.SequenceEqual(declared))
            {
                throw new OnnxFormatException($"ONNX Runtime sees inputs {string.Join(", ", inputs)} where the file declares {string.Join(", ", declared)}");
            }
        }
        catch (OnnxRuntimeException e)
        {
            throw new OnnxFormatException($"ONNX Runtime cannot load the model: {e.Message}", e);
        }

        return Task.CompletedTask;
    }
}
