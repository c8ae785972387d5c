using System.Globalization;
using System.Text;

namespace Keelson.Operations.Models;

/// <summary>
/// A forward-only reader of the protobuf wire format over one message's bytes, enough to walk an ONNX <c>ModelProto</c>
/// without generated code. Every read is bounds-checked, so a truncated or foreign file fails with the byte offset.
/// </summary>
internal sealed class ProtoWire(byte[] bytes, int start, int end, string what)
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);
    private int position = start;

    public bool AtEnd => position >= end;

    public int Position => position;

    /// <summary>The next field's number and wire type.</summary>
    public (int Field, int Wire) ReadTag()
    {
        var at = position;
        var tag = ReadVarint();
        var field = (int)(tag >> 3);
        var wire = (int)(tag & 7);
        if (field == 0 || wire is 3 or 4 or 6 or 7 || tag >> 3 > int.MaxValue)
        {
            throw new OnnxFormatException(Invariant($"byte {at}: not a protobuf field (tag {tag}) in {what}; the file is not an ONNX model or is corrupted"));
        }

        return (field, wire);
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= end)
            {
                throw Truncated();
            }

            var b = bytes[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new OnnxFormatException(Invariant($"byte {position}: a varint longer than 10 bytes in {what}; the file is corrupted"));
    }

    public long ReadInt64(int wire) => wire == 0 ? (long)ReadVarint() : throw WrongWire(wire);

    /// <summary>A length-delimited field as a reader over its bytes.</summary>
    public ProtoWire ReadMessage(int wire, string inner)
    {
        var (from, length) = ReadLength(wire);
        position = from + length;
        return new ProtoWire(bytes, from, from + length, inner);
    }

    public string ReadString(int wire)
    {
        var (from, length) = ReadLength(wire);
        position = from + length;
        try
        {
            return StrictUtf8.GetString(bytes, from, length);
        }
        catch (DecoderFallbackException e)
        {
            throw new OnnxFormatException(Invariant($"byte {from}: a string in {what} is not UTF-8; the file is corrupted"), e);
        }
    }

    /// <summary>Packed repeated varints (or one unpacked value).</summary>
    public IEnumerable<long> ReadInt64s(int wire)
    {
        if (wire == 0)
        {
            return [(long)ReadVarint()];
        }

        var packed = ReadMessage(wire, what);
        var values = new List<long>();
        while (!packed.AtEnd)
        {
            values.Add((long)packed.ReadVarint());
        }

        return values;
    }

    public void Skip(int wire)
    {
        switch (wire)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                Advance(8);
                break;
            case 5:
                Advance(4);
                break;
            case 2:
                var (from, length) = ReadLength(wire);
                position = from + length;
                break;
            default:
                throw WrongWire(wire);
        }
    }

    private (int From, int Length) ReadLength(int wire)
    {
        if (wire != 2)
        {
            throw WrongWire(wire);
        }

        var length = ReadVarint();
        if (length > (ulong)(end - position))
        {
            throw Truncated();
        }

        return (position, (int)length);
    }

    private void Advance(int count)
    {
        if (end - position < count)
        {
            throw Truncated();
        }

        position += count;
    }

    private OnnxFormatException Truncated() => new(Invariant(
        $"byte {position}: {what} ends in the middle of a field (the file is truncated or corrupted; {bytes.Length} bytes were received)"));

    private OnnxFormatException WrongWire(int wire) => new(Invariant($"byte {position}: unexpected protobuf wire type {wire} in {what}; the file is not an ONNX model or is corrupted"));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
