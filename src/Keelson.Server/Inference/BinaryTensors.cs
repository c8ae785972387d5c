using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Runtime.InteropServices;
using Keelson.Inference;

namespace Keelson.Server.Inference;

/// <summary>
/// Tensor elements in the OIP binary tensor data extension: little-endian, row-major, no padding, each element in its
/// native size (BOOL one byte, 0 or 1).
/// </summary>
public static class BinaryTensors
{
    /// <summary>The typed elements of <paramref name="bytes"/>; <see cref="InferenceRequestException"/> when the size does not fit the shape.</summary>
    public static Array Read(ReadOnlySpan<byte> bytes, string datatype, long[] shape, string at)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The binary tensor extension is read on little-endian machines only.");
        }

        if (shape.Any(d => d < 0))
        {
            throw V2Json.Bad($"{at}.shape: dimensions must be 0 or more, not [{string.Join(", ", shape)}]");
        }

        long count;
        try
        {
            count = TensorTypes.Count(shape);
        }
        catch (OverflowException)
        {
            throw V2Json.Bad($"{at}.shape: [{string.Join(", ", shape)}] holds more elements than can be counted");
        }

        if (datatype == "BYTES")
        {
            return Strings(bytes, count, at);
        }

        var size = TensorTypes.ElementSize(datatype);
        if (count * size != bytes.Length)
        {
            throw V2Json.Bad(string.Create(CultureInfo.InvariantCulture,
                $"{at}.parameters.binary_data_size: {bytes.Length} bytes, but {datatype}[{string.Join(", ", shape)}] is {count} elements of {size} bytes = {count * size}"));
        }

        var array = TensorTypes.NewArray(datatype, count);
        if (array is bool[] flags)
        {
            for (var i = 0; i < bytes.Length; i++)
            {
                flags[i] = bytes[i] switch
                {
                    0 => false,
                    1 => true,
                    var b => throw V2Json.Bad(string.Create(CultureInfo.InvariantCulture, $"{at}: BOOL element {i} is byte {b}; BOOL elements are one byte, 0 or 1")),
                };
            }

            return flags;
        }

        bytes.CopyTo(Span(array));
        return array;
    }

    /// <summary>The bytes of a tensor's elements (BYTES: each a 4-byte length and its UTF-8 bytes).</summary>
    public static long Size(InferenceTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.Data is string[] strings
            ? strings.Sum(e => 4L + Utf8.GetByteCount(e))
            : (long)tensor.Data.Length * TensorTypes.ElementSize(tensor.Datatype);
    }

    /// <summary>A tensor's elements as bytes (BOOL as 0 or 1; BYTES length-prefixed).</summary>
    public static ReadOnlySpan<byte> Bytes(InferenceTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.Data is string[] strings)
        {
            var bytes = new byte[Size(tensor)];
            var at = 0;
            foreach (var element in strings)
            {
                var length = Utf8.GetBytes(element, bytes.AsSpan(at + 4));
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), (uint)length);
                at += 4 + length;
            }

            return bytes;
        }

        return MemoryMarshal.AsBytes(Span(tensor.Data));
    }

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // BYTES elements: a 4-byte little-endian length, then that many bytes; ONNX string tensors hold text, so UTF-8 only.
    private static string[] Strings(ReadOnlySpan<byte> bytes, long count, string at)
    {
        var strings = new string[count];
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            if (bytes.Length - offset < 4)
            {
                throw V2Json.Bad(string.Create(CultureInfo.InvariantCulture, $"{at}: BYTES element {i} has no 4-byte length; the binary data ends at byte {bytes.Length}"));
            }

            var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes[offset..]);
            offset += 4;
            if (length > bytes.Length - offset)
            {
                throw V2Json.Bad(string.Create(CultureInfo.InvariantCulture, $"{at}: BYTES element {i} is {length} bytes long but only {bytes.Length - offset} remain"));
            }

            try
            {
                strings[i] = Utf8.GetString(bytes.Slice(offset, (int)length));
            }
            catch (DecoderFallbackException)
            {
                throw V2Json.Bad(string.Create(CultureInfo.InvariantCulture, $"{at}: BYTES element {i} is not UTF-8; ONNX string tensors hold text"));
            }

            offset += (int)length;
        }

        return offset == bytes.Length ? strings
            : throw V2Json.Bad(string.Create(CultureInfo.InvariantCulture, $"{at}.parameters.binary_data_size: {bytes.Length} bytes, but the {count} BYTES elements end at byte {offset}"));
    }

    // .NET stores bool as one byte 0 or 1, so its span can be written as is; numbers are read through their element type.
    private static Span<byte> Span(Array array) => array switch
    {
        float[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        double[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        long[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        int[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        short[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        ushort[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        uint[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        ulong[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        byte[] a => a.AsSpan(),
        sbyte[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        bool[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        Half[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        Microsoft.ML.OnnxRuntime.BFloat16[] a => MemoryMarshal.AsBytes(a.AsSpan()),
        _ => throw new InvalidOperationException($"{array.GetType().Name} is not a served element type."),
    };
}
