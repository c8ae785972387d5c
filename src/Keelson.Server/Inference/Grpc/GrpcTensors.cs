using System.Globalization;
using System.Text;
using Google.Protobuf;
using Inference;
using Keelson.Inference;

namespace Keelson.Server.Inference.Grpc;

/// <summary>
/// Tensors of the OIP gRPC messages: typed <c>contents</c> (the repeated field of the datatype's wire type) or
/// <c>raw_input_contents</c>/<c>raw_output_contents</c> (little-endian, row-major, BYTES length-prefixed — the binary
/// extension's layout). A request sent raw is answered raw; FP16 and BF16, which have no typed field, are always raw.
/// </summary>
public static class GrpcTensors
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The request as the REST routes read theirs; <see cref="InferenceRequestException"/> naming the field that is wrong.</summary>
    public static V2Json.Request Read(ModelInferRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var raw = request.RawInputContents;
        if (raw.Count > 0 && raw.Count != request.Inputs.Count)
        {
            throw V2Json.Bad(Invariant($"raw_input_contents: {raw.Count} entries for {request.Inputs.Count} inputs; give one per input, in input order"));
        }

        var inputs = new List<InferenceTensor>(request.Inputs.Count);
        for (var i = 0; i < request.Inputs.Count; i++)
        {
            var input = request.Inputs[i];
            var at = Invariant($"inputs[{i}] ('{input.Name}')");
            if (input.Name.Length == 0)
            {
                throw V2Json.Bad(Invariant($"inputs[{i}].name: required"));
            }

            if (!TensorTypes.IsServed(input.Datatype))
            {
                throw V2Json.Bad($"{at}.datatype: '{input.Datatype}' is not served; use one of {string.Join(", ", TensorTypes.Served)}");
            }

            long[] shape = [.. input.Shape];
            if (raw.Count > 0)
            {
                inputs.Add(new InferenceTensor(input.Name, input.Datatype, shape, input.Contents is null
                    ? BinaryTensors.Read(raw[i].Span, input.Datatype, shape, $"{at} (raw_input_contents[{i}])")
                    : throw V2Json.Bad($"{at}.contents: give contents or raw_input_contents, not both")));
            }
            else
            {
                inputs.Add(new InferenceTensor(input.Name, input.Datatype, shape,
                    Typed(input.Contents ?? throw V2Json.Bad($"{at}.contents: required, or every input's bytes in raw_input_contents"), input.Datatype, at)));
            }
        }

        return new V2Json.Request(request.Id.Length == 0 ? null : request.Id, inputs, [.. request.Outputs.Select(o => o.Name)]) { BinaryByDefault = raw.Count > 0 };
    }

    /// <summary>The response to an answer: raw when the request was raw or an output has no typed field, else typed contents.</summary>
    public static ModelInferResponse Response(string model, V2Answer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var response = new ModelInferResponse { ModelName = model, ModelVersion = answer.Version.ToString(CultureInfo.InvariantCulture), Id = answer.Request.Id ?? "" };
        var raw = answer.Request.BinaryByDefault || answer.Outputs.Any(o => o.Datatype is "FP16" or "BF16");
        foreach (var output in answer.Outputs)
        {
            var tensor = new ModelInferResponse.Types.InferOutputTensor { Name = output.Name, Datatype = output.Datatype, Shape = { output.Shape } };
            if (raw)
            {
                response.RawOutputContents.Add(ByteString.CopyFrom(BinaryTensors.Bytes(output)));
            }
            else
            {
                tensor.Contents = Contents(output.Data);
            }

            response.Outputs.Add(tensor);
        }

        return response;
    }

    private static InferTensorContents Contents(Array data)
    {
        var contents = new InferTensorContents();
        switch (data)
        {
            case float[] a: contents.Fp32Contents.Add(a); break;
            case double[] a: contents.Fp64Contents.Add(a); break;
            case long[] a: contents.Int64Contents.Add(a); break;
            case ulong[] a: contents.Uint64Contents.Add(a); break;
            case bool[] a: contents.BoolContents.Add(a); break;
            case int[] a: contents.IntContents.Add(a); break;
            case short[] a: contents.IntContents.Add(a.Select(v => (int)v)); break;
            case sbyte[] a: contents.IntContents.Add(a.Select(v => (int)v)); break;
            case uint[] a: contents.UintContents.Add(a); break;
            case ushort[] a: contents.UintContents.Add(a.Select(v => (uint)v)); break;
            case byte[] a: contents.UintContents.Add(a.Select(v => (uint)v)); break;
            case string[] a: contents.BytesContents.Add(a.Select(ByteString.CopyFromUtf8)); break;
            default: throw new InvalidOperationException($"{data.GetType().Name} has no typed contents field.");
        }

        return contents;
    }

    // Each datatype has one field; elements in another field are named as such rather than reported as a missing count.
    private static Array Typed(InferTensorContents contents, string datatype, string at)
    {
        var field = datatype switch
        {
            "BOOL" => "bool_contents",
            "INT8" or "INT16" or "INT32" => "int_contents",
            "INT64" => "int64_contents",
            "UINT8" or "UINT16" or "UINT32" => "uint_contents",
            "UINT64" => "uint64_contents",
            "FP32" => "fp32_contents",
            "FP64" => "fp64_contents",
            "BYTES" => "bytes_contents",
            _ => throw V2Json.Bad($"{at}.contents: {datatype} has no typed contents field; send the input's bytes in raw_input_contents"),
        };
        var given = new (string Field, int Count)[]
        {
            ("bool_contents", contents.BoolContents.Count), ("int_contents", contents.IntContents.Count), ("int64_contents", contents.Int64Contents.Count),
            ("uint_contents", contents.UintContents.Count), ("uint64_contents", contents.Uint64Contents.Count), ("fp32_contents", contents.Fp32Contents.Count),
            ("fp64_contents", contents.Fp64Contents.Count), ("bytes_contents", contents.BytesContents.Count),
        }.Where(g => g.Count > 0 && g.Field != field).Select(g => g.Field).ToList();
        if (given.Count > 0)
        {
            throw V2Json.Bad($"{at}.contents: {datatype} elements go in {field}, not {string.Join(", ", given)}");
        }

        return datatype switch
        {
            "BOOL" => contents.BoolContents.ToArray(),
            "INT32" => contents.IntContents.ToArray(),
            "INT16" => Narrow(contents.IntContents, v => checked((short)v), datatype, at),
            "INT8" => Narrow(contents.IntContents, v => checked((sbyte)v), datatype, at),
            "INT64" => contents.Int64Contents.ToArray(),
            "UINT32" => contents.UintContents.ToArray(),
            "UINT16" => Narrow(contents.UintContents, v => checked((ushort)v), datatype, at),
            "UINT8" => Narrow(contents.UintContents, v => checked((byte)v), datatype, at),
            "UINT64" => contents.Uint64Contents.ToArray(),
            "FP32" => contents.Fp32Contents.ToArray(),
            "FP64" => contents.Fp64Contents.ToArray(),
            _ => contents.BytesContents.Select((b, i) => Text(b, at, i)).ToArray(),
        };
    }

    private static TTo[] Narrow<TFrom, TTo>(IReadOnlyList<TFrom> values, Func<TFrom, TTo> narrow, string datatype, string at)
    {
        var result = new TTo[values.Count];
        for (var i = 0; i < result.Length; i++)
        {
            try
            {
                result[i] = narrow(values[i]);
            }
            catch (OverflowException)
            {
                throw V2Json.Bad(Invariant($"{at}.contents[{i}]: {values[i]} is not a {datatype} value (out of range)"));
            }
        }

        return result;
    }

    // ONNX string tensors hold text, so BYTES elements must be UTF-8, as over REST.
    private static string Text(ByteString bytes, string at, int index)
    {
        try
        {
            return Utf8.GetString(bytes.Span);
        }
        catch (DecoderFallbackException)
        {
            throw V2Json.Bad(Invariant($"{at}.contents.bytes_contents[{index}]: not UTF-8; ONNX string tensors hold text"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
