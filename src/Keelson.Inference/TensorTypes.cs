using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Keelson.Inference;

/// <summary>
/// The OIP V2 datatypes Keelson serves, their .NET element types (FP16 as <see cref="Half"/>, BF16 as ONNX Runtime's
/// <see cref="BFloat16"/>, which .NET lacks), and moving them in and out of ONNX Runtime.
/// </summary>
public static class TensorTypes
{
    private static readonly Dictionary<string, Type> Types = new(StringComparer.Ordinal)
    {
        ["BOOL"] = typeof(bool), ["UINT8"] = typeof(byte), ["INT8"] = typeof(sbyte), ["INT16"] = typeof(short), ["UINT16"] = typeof(ushort),
        ["INT32"] = typeof(int), ["UINT32"] = typeof(uint), ["INT64"] = typeof(long), ["UINT64"] = typeof(ulong), ["FP32"] = typeof(float), ["FP64"] = typeof(double),
        ["FP16"] = typeof(Half), ["BF16"] = typeof(BFloat16), ["BYTES"] = typeof(string),
    };

    private static readonly Dictionary<TensorElementType, string> FromOrt = new()
    {
        [TensorElementType.Bool] = "BOOL", [TensorElementType.UInt8] = "UINT8", [TensorElementType.Int8] = "INT8", [TensorElementType.Int16] = "INT16",
        [TensorElementType.UInt16] = "UINT16", [TensorElementType.Int32] = "INT32", [TensorElementType.UInt32] = "UINT32", [TensorElementType.Int64] = "INT64",
        [TensorElementType.UInt64] = "UINT64", [TensorElementType.Float] = "FP32", [TensorElementType.Double] = "FP64",
        [TensorElementType.Float16] = "FP16", [TensorElementType.BFloat16] = "BF16", [TensorElementType.String] = "BYTES",
    };

    /// <summary>The datatypes served, sorted.</summary>
    public static IReadOnlyList<string> Served { get; } = [.. Types.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Whether <paramref name="datatype"/> is served.</summary>
    public static bool IsServed(string datatype) => Types.ContainsKey(datatype);

    /// <summary>The .NET element type of a served datatype.</summary>
    public static Type ElementType(string datatype) => Types[datatype];

    /// <summary>Bytes per element (BYTES elements vary: not asked here).</summary>
    public static int ElementSize(string datatype) => datatype switch
    {
        "BOOL" or "UINT8" or "INT8" => 1,
        "INT16" or "UINT16" or "FP16" or "BF16" => 2,
        "INT32" or "UINT32" or "FP32" => 4,
        _ => 8,
    };

    /// <summary>Elements in a shape (1 for a scalar).</summary>
    public static long Count(IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = 1;
        foreach (var d in shape)
        {
            count = checked(count * d);
        }

        return count;
    }

    /// <summary>An empty typed array of <paramref name="length"/> elements.</summary>
    public static Array NewArray(string datatype, long length) => Array.CreateInstance(Types[datatype], length);

    /// <summary>An ONNX Runtime value over the tensor's array (no copy).</summary>
    public static OrtValue ToOrtValue(InferenceTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.Data switch
        {
            float[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
            double[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
            long[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
            int[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
            short[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
            ushort[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
            uint[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
            ulong[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
            byte[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
            sbyte[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
            bool[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
            BFloat16[] a => OrtValue.CreateTensorValueFromMemory(a, tensor.Shape),
            string[] a => Strings(a, tensor.Shape),

            // System.Half and ONNX Runtime's Float16 are the same IEEE binary16 bits; ONNX Runtime only knows its own type.
            Half[] a => OrtValue.CreateTensorValueFromMemory(MemoryMarshal.Cast<Half, Float16>(a).ToArray(), tensor.Shape),
            _ => throw new InvalidOperationException($"Tensor '{tensor.Name}' holds {tensor.Data.GetType().Name}, which is not a served element type."),
        };
    }

    /// <summary>Copies an output of ONNX Runtime into a tensor.</summary>
    public static InferenceTensor FromOrtValue(string name, OrtValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var info = value.GetTensorTypeAndShape();
        if (!FromOrt.TryGetValue(info.ElementDataType, out var datatype))
        {
            throw new InferenceRequestException(500, "The model's output cannot be served",
                string.Create(CultureInfo.InvariantCulture, $"output '{name}' has element type {info.ElementDataType}, which Keelson does not serve ({string.Join(", ", Served)})"));
        }

        Array data = datatype switch
        {
            "FP32" => value.GetTensorDataAsSpan<float>().ToArray(),
            "FP64" => value.GetTensorDataAsSpan<double>().ToArray(),
            "INT64" => value.GetTensorDataAsSpan<long>().ToArray(),
            "INT32" => value.GetTensorDataAsSpan<int>().ToArray(),
            "INT16" => value.GetTensorDataAsSpan<short>().ToArray(),
            "UINT16" => value.GetTensorDataAsSpan<ushort>().ToArray(),
            "UINT32" => value.GetTensorDataAsSpan<uint>().ToArray(),
            "UINT64" => value.GetTensorDataAsSpan<ulong>().ToArray(),
            "UINT8" => value.GetTensorDataAsSpan<byte>().ToArray(),
            "INT8" => value.GetTensorDataAsSpan<sbyte>().ToArray(),
            "FP16" => MemoryMarshal.Cast<Float16, Half>(value.GetTensorDataAsSpan<Float16>()).ToArray(),
            "BF16" => value.GetTensorDataAsSpan<BFloat16>().ToArray(),
            "BYTES" => value.GetStringTensorAsArray(),
            _ => value.GetTensorDataAsSpan<bool>().ToArray(),
        };
        return new InferenceTensor(name, datatype, info.Shape, data);
    }

    // ONNX string tensors are UTF-8 text held by ONNX Runtime, so they are copied in rather than pinned.
    private static OrtValue Strings(string[] elements, long[] shape)
    {
        var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, shape);
        for (var i = 0; i < elements.Length; i++)
        {
            value.StringTensorSetElementAt(elements[i].AsSpan(), i);
        }

        return value;
    }
}
