namespace Keelson.Inference;

/// <summary>
/// One named tensor of a request or response: its OIP V2 datatype, shape, and row-major elements in a typed array
/// (<c>float[]</c> for FP32, <c>long[]</c> for INT64, <c>bool[]</c> for BOOL, ...; see <see cref="TensorTypes"/>).
/// </summary>
public sealed record InferenceTensor(string Name, string Datatype, long[] Shape, Array Data)
{
    /// <summary>The number of elements the shape holds.</summary>
    public long ElementCount => TensorTypes.Count(Shape);
}
