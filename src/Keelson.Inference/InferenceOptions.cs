namespace Keelson.Inference;

/// <summary>The <c>Keelson:Models</c> settings the runtime uses.</summary>
public sealed class InferenceOptions
{
    /// <summary>Most bytes of loaded sessions kept at once (estimated as twice the file size); least recently used ones are unloaded beyond it.</summary>
    public long MemoryBudgetBytes { get; set; } = 1L << 30;

    /// <summary>Most tensor elements (all inputs together) in one request.</summary>
    public long MaxRequestElements { get; set; } = 4 * 1024 * 1024;

    /// <summary>ONNX Runtime's threads inside one operator; 1 suits small models served to many clients at once.</summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>Use the CUDA execution provider when ONNX Runtime offers it (a GPU build on a machine with a GPU); CPU otherwise.</summary>
    public bool PreferCuda { get; set; } = true;
}
