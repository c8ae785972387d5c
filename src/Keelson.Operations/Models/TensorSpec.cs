namespace Keelson.Operations.Models;

/// <summary>
/// One input or output of a model as the model itself declares it: its name, element type in the Open Inference
/// Protocol's vocabulary (<c>FP32</c>, <c>INT64</c>, ...), and shape, where -1 is a dimension the caller chooses at
/// request time (named by <see cref="DimensionNames"/> when the model names it, e.g. <c>batch</c>).
/// </summary>
public sealed record TensorSpec
{
    /// <summary>The name requests and responses use.</summary>
    public required string Name { get; init; }

    /// <summary>The element type as an OIP V2 datatype: BOOL, UINT8, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES, ...</summary>
    public required string Datatype { get; init; }

    /// <summary>The dimensions; -1 where the model leaves a dimension open.</summary>
    public required IReadOnlyList<long> Shape { get; init; }

    /// <summary>The symbolic name of each open dimension (null where the dimension is fixed or unnamed), same length as <see cref="Shape"/>.</summary>
    public required IReadOnlyList<string?> DimensionNames { get; init; }

    /// <summary>Whether the first dimension is open, so requests can be stacked along it (dynamic batching).</summary>
    public bool HasDynamicBatch => Shape.Count > 0 && Shape[0] == -1;

    /// <summary>The shape as text, <c>[-1, 4]</c>, with open dimensions named where known: <c>[batch, 4]</c>.</summary>
    public string ShapeText() =>
        "[" + string.Join(", ", Shape.Select((d, i) => d >= 0 ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : DimensionNames[i] ?? "-1")) + "]";
}

/// <summary>An operator set the model imports: its domain (empty for the default ONNX domain) and version.</summary>
public sealed record OpsetImport(string Domain, long Version);

/// <summary>What an ONNX file says about itself, read from its bytes without running it.</summary>
public sealed record OnnxModelInfo
{
    /// <summary>The ONNX IR version of the file format.</summary>
    public required long IrVersion { get; init; }

    /// <summary>The tool that wrote the model (<c>pytorch</c>, <c>onnx-example</c>, ...); empty when not recorded.</summary>
    public required string ProducerName { get; init; }

    /// <summary>That tool's version; empty when not recorded.</summary>
    public required string ProducerVersion { get; init; }

    /// <summary>The graph's name; empty when not recorded.</summary>
    public required string GraphName { get; init; }

    /// <summary>The operator sets imported, in file order.</summary>
    public required IReadOnlyList<OpsetImport> Opsets { get; init; }

    /// <summary>The graph inputs a request must give (initializers excluded).</summary>
    public required IReadOnlyList<TensorSpec> Inputs { get; init; }

    /// <summary>The graph outputs.</summary>
    public required IReadOnlyList<TensorSpec> Outputs { get; init; }

    /// <summary>The version of the default ONNX operator set (domain "" or <c>ai.onnx</c>), or 0 when the model imports none.</summary>
    public long Opset => Opsets.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 0;
}
