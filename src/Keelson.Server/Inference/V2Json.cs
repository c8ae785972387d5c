using System.Globalization;
using System.Text.Json;
using Keelson.Inference;

namespace Keelson.Server.Inference;

/// <summary>
/// The Open Inference Protocol V2 JSON tensors: reads a request body (inputs with <c>name</c>, <c>shape</c>,
/// <c>datatype</c>, <c>data</c> flat or nested; optional <c>id</c>, <c>parameters</c>, <c>outputs</c>) into typed
/// tensors, naming the member and element that is wrong, and writes responses without an intermediate object model.
/// </summary>
public static class V2Json
{
    /// <summary>A parsed request; <see cref="BinaryOutputs"/> are the outputs asked for as binary data (the binary tensor extension).</summary>
    public sealed record Request(string? Id, IReadOnlyList<InferenceTensor> Inputs, IReadOnlyList<string> Outputs)
    {
        /// <summary>Whether every output not named otherwise is asked for as binary data (<c>parameters.binary_data_output</c>).</summary>
        public bool BinaryByDefault { get; init; }

        /// <summary>Per named output, its <c>parameters.binary_data</c>, which overrides <see cref="BinaryByDefault"/>.</summary>
        public IReadOnlyDictionary<string, bool> BinaryOutputs { get; init; } = NoBinaryOutputs;

        /// <summary>Whether any output may be answered as binary data (false for plain JSON requests, the common case).</summary>
        public bool AnyBinary => BinaryByDefault || BinaryOutputs.Values.Any(b => b);

        /// <summary>Whether output <paramref name="name"/> is answered as binary data.</summary>
        public bool IsBinary(string name) => BinaryOutputs.TryGetValue(name, out var binary) ? binary : BinaryByDefault;
    }

    private static readonly Dictionary<string, bool> NoBinaryOutputs = [];

    /// <summary>The request in <paramref name="document"/>; <see cref="InferenceRequestException"/> naming the problem.</summary>
    public static Request Read(JsonDocument document) => Read(document, null);

    /// <summary>
    /// The request in <paramref name="document"/> whose inputs with <c>parameters.binary_data_size</c> take their
    /// elements, in input order, from <paramref name="binary"/> (the body after the JSON header; null when the request
    /// has no <c>Inference-Header-Content-Length</c>).
    /// </summary>
    public static Request Read(JsonDocument document, ReadOnlyMemory<byte>? binary)
    {
        ArgumentNullException.ThrowIfNull(document);
        var root = document.RootElement;
        var offset = 0;
        var binaryByDefault = false;
        Dictionary<string, bool>? binaryOutputs = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Bad("$: the body must be a JSON object with an inputs array");
        }

        string? id = null;
        List<InferenceTensor>? inputs = null;
        List<string> outputs = [];
        foreach (var member in root.EnumerateObject())
        {
            switch (member.Name)
            {
                case "id":
                    id = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : throw Bad("id: must be a string");
                    break;
                case "parameters":
                    binaryByDefault = Flag(member.Value, "binary_data_output", "parameters") ?? false;
                    break;
                case "inputs":
                    if (member.Value.ValueKind != JsonValueKind.Array)
                    {
                        throw Bad("inputs: must be an array of tensors");
                    }

                    inputs = [.. member.Value.EnumerateArray().Select((t, i) => ReadTensor(t, $"inputs[{i}]", binary, ref offset))];
                    break;
                case "outputs":
                    if (member.Value.ValueKind != JsonValueKind.Array)
                    {
                        throw Bad("outputs: must be an array of {\"name\": ...}");
                    }

                    outputs = [];
                    foreach (var (o, i) in member.Value.EnumerateArray().Select((o, i) => (o, i)))
                    {
                        var name = o.ValueKind == JsonValueKind.Object && o.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : throw Bad($"outputs[{i}].name: must be a string");
                        outputs.Add(name);
                        if (o.TryGetProperty("parameters", out var parameters) && Flag(parameters, "binary_data", $"outputs[{i}].parameters") is { } asBinary)
                        {
                            (binaryOutputs ??= new Dictionary<string, bool>(StringComparer.Ordinal))[name] = asBinary;
                        }
                    }

                    break;
                default:
                    throw Bad($"{member.Name}: not a member of an inference request (id, parameters, inputs, outputs)");
            }
        }

        if (binary is { } rest && offset != rest.Length)
        {
            throw Bad(string.Create(CultureInfo.InvariantCulture,
                $"the body has {rest.Length} bytes after the JSON header (Inference-Header-Content-Length) but the inputs' binary_data_size add up to {offset}"));
        }

        return new Request(id, inputs ?? throw Bad("inputs: required"), outputs) { BinaryByDefault = binaryByDefault, BinaryOutputs = binaryOutputs ?? NoBinaryOutputs };
    }

    // A boolean parameter of a parameters object; other parameters are ignored, as the protocol allows.
    private static bool? Flag(JsonElement parameters, string name, string at)
    {
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            throw Bad($"{at}: must be an object");
        }

        if (!parameters.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Bad($"{at}.{name}: must be true or false"),
        };
    }

    /// <summary>Writes a response: model name and version, the request id when given, and the output tensors.</summary>
    public static void Write(Utf8JsonWriter writer, string model, int version, string? id, IReadOnlyList<InferenceTensor> outputs) =>
        Write(writer, model, version, id, outputs, _ => false);

    /// <summary>
    /// Writes a response whose outputs for which <paramref name="binary"/> is true carry <c>parameters.binary_data_size</c>
    /// instead of <c>data</c>; their bytes (<see cref="BinaryTensors.Bytes"/>) follow the JSON in output order.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, string model, int version, string? id, IReadOnlyList<InferenceTensor> outputs, Func<string, bool> binary)
    {
        ArgumentNullException.ThrowIfNull(binary);
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(outputs);
        writer.WriteStartObject();
        writer.WriteString("model_name", model);
        writer.WriteString("model_version", version.ToString(CultureInfo.InvariantCulture));
        if (id is not null)
        {
            writer.WriteString("id", id);
        }

        writer.WriteStartArray("outputs");
        foreach (var output in outputs)
        {
            writer.WriteStartObject();
            writer.WriteString("name", output.Name);
            writer.WriteString("datatype", output.Datatype);
            writer.WriteStartArray("shape");
            foreach (var d in output.Shape)
            {
                writer.WriteNumberValue(d);
            }

            writer.WriteEndArray();
            if (binary(output.Name))
            {
                writer.WriteStartObject("parameters");
                writer.WriteNumber("binary_data_size", BinaryTensors.Size(output));
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteStartArray("data");
                WriteData(writer, output.Data);
                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteData(Utf8JsonWriter writer, Array data)
    {
        switch (data)
        {
            case float[] a:
                foreach (var v in a)
                {
                    WriteFloat(writer, v);
                }

                break;
            case double[] a:
                foreach (var v in a)
                {
                    WriteDouble(writer, v);
                }

                break;
            case bool[] a:
                foreach (var v in a)
                {
                    writer.WriteBooleanValue(v);
                }

                break;
            case string[] a:
                foreach (var v in a)
                {
                    writer.WriteStringValue(v);
                }

                break;
            case Half[] a:
                foreach (var v in a)
                {
                    WriteFloat(writer, (float)v);
                }

                break;
            case Microsoft.ML.OnnxRuntime.BFloat16[] a:
                foreach (var v in a)
                {
                    WriteFloat(writer, v.ToFloat());
                }

                break;
            case long[] a:
                foreach (var v in a)
                {
                    writer.WriteNumberValue(v);
                }

                break;
            case ulong[] a:
                foreach (var v in a)
                {
                    writer.WriteNumberValue(v);
                }

                break;
            default:
                foreach (var v in data)
                {
                    writer.WriteNumberValue(Convert.ToInt64(v, CultureInfo.InvariantCulture));
                }

                break;
        }
    }

    // JSON has no NaN or infinity; they are written as strings, as the V2 protocol's reference servers do.
    private static void WriteFloat(Utf8JsonWriter writer, float v)
    {
        if (float.IsFinite(v))
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteStringValue(v.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double v)
    {
        if (double.IsFinite(v))
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteStringValue(v.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static InferenceTensor ReadTensor(JsonElement tensor, string at, ReadOnlyMemory<byte>? binary, ref int offset)
    {
        long? binarySize = null;
        if (tensor.ValueKind != JsonValueKind.Object)
        {
            throw Bad($"{at}: must be an object with name, shape, datatype and data");
        }

        string? name = null, datatype = null;
        long[]? shape = null;
        JsonElement? data = null;
        foreach (var member in tensor.EnumerateObject())
        {
            switch (member.Name)
            {
                case "name":
                    name = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : throw Bad($"{at}.name: must be a string");
                    break;
                case "datatype":
                    datatype = member.Value.ValueKind == JsonValueKind.String ? member.Value.GetString() : throw Bad($"{at}.datatype: must be a string");
                    break;
                case "shape":
                    shape = member.Value.ValueKind == JsonValueKind.Array
                        ? [.. member.Value.EnumerateArray().Select((d, i) => d.ValueKind == JsonValueKind.Number && d.TryGetInt64(out var v) ? v : throw Bad($"{at}.shape[{i}]: must be an integer"))]
                        : throw Bad($"{at}.shape: must be an array of integers");
                    break;
                case "data":
                    data = member.Value;
                    break;
                case "parameters":
                    if (member.Value.ValueKind != JsonValueKind.Object)
                    {
                        throw Bad($"{at}.parameters: must be an object");
                    }

                    if (member.Value.TryGetProperty("binary_data_size", out var size))
                    {
                        binarySize = size.ValueKind == JsonValueKind.Number && size.TryGetInt64(out var bytes) && bytes >= 0 ? bytes
                            : throw Bad($"{at}.parameters.binary_data_size: must be a whole number of bytes, 0 or more");
                    }

                    break;
                default:
                    throw Bad($"{at}.{member.Name}: not a member of a tensor (name, shape, datatype, parameters, data)");
            }
        }

        if (name is null)
        {
            throw Bad($"{at}.name: required");
        }

        var where = $"{at} ('{name}')";
        if (shape is null || datatype is null)
        {
            throw Bad($"{where}.{(shape is null ? "shape" : "datatype")}: required");
        }

        if (!TensorTypes.IsServed(datatype))
        {
            throw Bad($"{where}.datatype: '{datatype}' is not served; use one of {string.Join(", ", TensorTypes.Served)}");
        }

        if (binarySize is { } byteCount)
        {
            if (data is not null)
            {
                throw Bad($"{where}: give data or parameters.binary_data_size, not both");
            }

            if (binary is not { } body)
            {
                throw Bad($"{where}.parameters.binary_data_size: binary tensor data needs the Inference-Header-Content-Length header giving the length of the JSON before it");
            }

            if (offset + byteCount > body.Length)
            {
                throw Bad(string.Create(CultureInfo.InvariantCulture,
                    $"{where}.parameters.binary_data_size: {byteCount} bytes from byte {offset} of the binary data, but only {body.Length - offset} remain after the JSON header"));
            }

            var slice = body.Slice(offset, (int)byteCount);
            offset += (int)byteCount;
            return new InferenceTensor(name, datatype, shape, BinaryTensors.Read(slice.Span, datatype, shape, where));
        }

        if (data is not { ValueKind: JsonValueKind.Array } array)
        {
            throw Bad($"{where}.data: required, an array of {datatype} values (flat in row-major order, or nested)");
        }

        var values = new List<JsonElement>();
        Flatten(array, values, $"{where}.data");
        var typed = TensorTypes.NewArray(datatype, values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            typed.SetValue(Element(values[i], datatype, $"{where}.data[{i}]"), i);
        }

        return new InferenceTensor(name, datatype, shape, typed);
    }

    private static void Flatten(JsonElement array, List<JsonElement> into, string at)
    {
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.Array)
            {
                Flatten(item, into, at);
            }
            else
            {
                into.Add(item);
            }
        }
    }

    private static object Element(JsonElement value, string datatype, string at)
    {
        if (datatype == "BOOL")
        {
            return value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw Bad($"{at}: {value.GetRawText()} is not true or false (BOOL)"),
            };
        }

        if (datatype == "BYTES")
        {
            return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Bad($"{at}: {Shorten(value.GetRawText())} is not a string (BYTES)");
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw Bad($"{at}: {Shorten(value.GetRawText())} is not a number ({datatype})");
        }

        object? parsed = datatype switch
        {
            "FP32" => value.TryGetSingle(out var f) && float.IsFinite(f) ? f : null,
            "FP64" => value.TryGetDouble(out var d) ? d : null,
            "FP16" => value.TryGetDouble(out var h) && Half.IsFinite((Half)h) ? (Half)h : null,
            "BF16" => value.TryGetSingle(out var bf) && float.IsFinite(bf) && float.IsFinite(((Microsoft.ML.OnnxRuntime.BFloat16)bf).ToFloat()) ? (Microsoft.ML.OnnxRuntime.BFloat16)bf : null,
            "INT64" => value.TryGetInt64(out var l) ? l : null,
            "INT32" => value.TryGetInt32(out var i) ? i : null,
            "INT16" => value.TryGetInt16(out var s) ? s : null,
            "INT8" => value.TryGetSByte(out var sb) ? sb : null,
            "UINT8" => value.TryGetByte(out var b) ? b : null,
            "UINT16" => value.TryGetUInt16(out var us) ? us : null,
            "UINT32" => value.TryGetUInt32(out var ui) ? ui : null,
            "UINT64" => value.TryGetUInt64(out var ul) ? ul : null,
            _ => null,
        };
        return parsed ?? throw Bad($"{at}: {Shorten(value.GetRawText())} is not a {datatype} value (out of range, or not an integer)");
    }

    private static string Shorten(string text) => text.Length > 40 ? text[..40] + "…" : text;

    internal static InferenceRequestException Bad(string detail) => new(400, "The inference request is not valid", detail);
}
