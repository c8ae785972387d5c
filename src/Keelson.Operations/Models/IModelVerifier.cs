namespace Keelson.Operations.Models;

/// <summary>The seam where a runtime proves an uploaded model loads, before the registry keeps it.</summary>
public interface IModelVerifier
{
    /// <summary>Loads the staged file; <see cref="OnnxFormatException"/> naming the problem when the runtime refuses it.</summary>
    Task VerifyAsync(string path, OnnxModelInfo info, CancellationToken cancellationToken);
}
