namespace Keelson.Operations.Models;

/// <summary>
/// Reads an ONNX file's own description (IR version, producer, operator sets, graph inputs and outputs with element
/// types and shapes) from its protobuf bytes. It checks structure only; whether the graph runs is for the runtime.
/// </summary>
public static class OnnxModelReader
{
    // ONNX TensorProto.DataType → the Open Inference Protocol's datatype names.
    private static readonly Dictionary<long, string> Datatypes = new()
    {
        [1] = "FP32", [2] = "UINT8", [3] = "INT8", [4] = "UINT16", [5] = "INT16", [6] = "INT32", [7] = "INT64", [8] = "BYTES",
        [9] = "BOOL", [10] = "FP16", [11] = "FP64", [12] = "UINT32", [13] = "UINT64", [16] = "BF16",
    };

    /// <summary>The model's description; <see cref="OnnxFormatException"/> naming the problem when the bytes are not an ONNX model.</summary>
    public static OnnxModelInfo Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length == 0)
        {
            throw new OnnxFormatException("the file is empty; upload an .onnx model");
        }

        var model = new ProtoWire(bytes, 0, bytes.Length, "ModelProto");
        long irVersion = 0;
        string producer = "", producerVersion = "";
        var opsets = new List<OpsetImport>();
        ProtoWire? graph = null;
        while (!model.AtEnd)
        {
            var (field, wire) = model.ReadTag();
            switch (field)
            {
                case 1: irVersion = model.ReadInt64(wire); break;
                case 2: producer = model.ReadString(wire); break;
                case 3: producerVersion = model.ReadString(wire); break;
                case 7: graph = model.ReadMessage(wire, "the graph"); break;
                case 8: opsets.Add(ReadOpset(model.ReadMessage(wire, "an opset_import"))); break;
                default: model.Skip(wire); break;
            }
        }

        if (irVersion <= 0)
        {
            throw new OnnxFormatException("no ir_version: the file is not an ONNX model (ModelProto field 1 is missing)");
        }

        if (graph is null)
        {
            throw new OnnxFormatException("no graph: the file is not an ONNX model (ModelProto field 7 is missing)");
        }

        if (irVersion >= 3 && opsets.Count == 0)
        {
            throw new OnnxFormatException($"no opset_import: an ONNX model of IR version {irVersion} must name the operator sets it uses");
        }

        var (name, inputs, outputs, initializers) = ReadGraph(graph);
        var feeds = inputs.Where(i => !initializers.Contains(i.Name)).ToList();
        if (outputs.Count == 0)
        {
            throw new OnnxFormatException($"graph '{name}' has no outputs; a model must produce at least one tensor");
        }

        return new OnnxModelInfo
        {
            IrVersion = irVersion, ProducerName = producer, ProducerVersion = producerVersion, GraphName = name, Opsets = opsets, Inputs = feeds, Outputs = outputs,
        };
    }

    private static OpsetImport ReadOpset(ProtoWire wire)
    {
        string domain = "";
        long version = 0;
        while (!wire.AtEnd)
        {
            var (field, type) = wire.ReadTag();
            switch (field)
            {
                case 1: domain = wire.ReadString(type); break;
                case 2: version = wire.ReadInt64(type); break;
                default: wire.Skip(type); break;
            }
        }

        return new OpsetImport(domain, version);
    }

    private static (string Name, List<TensorSpec> Inputs, List<TensorSpec> Outputs, HashSet<string> Initializers) ReadGraph(ProtoWire graph)
    {
        var name = "";
        List<TensorSpec> inputs = [], outputs = [];
        var initializers = new HashSet<string>(StringComparer.Ordinal);
        while (!graph.AtEnd)
        {
            var (field, wire) = graph.ReadTag();
            switch (field)
            {
                case 2: name = graph.ReadString(wire); break;
                case 5: initializers.Add(ReadInitializerName(graph.ReadMessage(wire, "an initializer"))); break;
                case 11: inputs.Add(ReadValueInfo(graph.ReadMessage(wire, "a graph input"), "input")); break;
                case 12: outputs.Add(ReadValueInfo(graph.ReadMessage(wire, "a graph output"), "output")); break;
                default: graph.Skip(wire); break;
            }
        }

        return (name, inputs, outputs, initializers);
    }

    private static string ReadInitializerName(ProtoWire tensor)
    {
        var name = "";
        while (!tensor.AtEnd)
        {
            var (field, wire) = tensor.ReadTag();
            if (field == 8)
            {
                name = tensor.ReadString(wire);
            }
            else
            {
                tensor.Skip(wire);
            }
        }

        return name;
    }

    private static TensorSpec ReadValueInfo(ProtoWire info, string role)
    {
        var name = "";
        ProtoWire? type = null;
        while (!info.AtEnd)
        {
            var (field, wire) = info.ReadTag();
            switch (field)
            {
                case 1: name = info.ReadString(wire); break;
                case 2: type = info.ReadMessage(wire, $"the type of {role} '{name}'"); break;
                default: info.Skip(wire); break;
            }
        }

        if (name.Length == 0)
        {
            throw new OnnxFormatException($"a graph {role} has no name");
        }

        long elementType = 0;
        List<long> shape = [];
        List<string?> names = [];
        var isTensor = false;
        while (type is not null && !type.AtEnd)
        {
            var (field, wire) = type.ReadTag();
            if (field != 1)
            {
                type.Skip(wire);
                continue;
            }

            isTensor = true;
            var tensor = type.ReadMessage(wire, $"the tensor type of {role} '{name}'");
            while (!tensor.AtEnd)
            {
                var (tf, tw) = tensor.ReadTag();
                switch (tf)
                {
                    case 1: elementType = tensor.ReadInt64(tw); break;
                    case 2: ReadShape(tensor.ReadMessage(tw, $"the shape of {role} '{name}'"), shape, names); break;
                    default: tensor.Skip(tw); break;
                }
            }
        }

        if (!isTensor)
        {
            throw new OnnxFormatException($"{role} '{name}' is not a tensor (sequences, maps and optionals are not served)");
        }

        return new TensorSpec
        {
            Name = name,
            Datatype = Datatypes.TryGetValue(elementType, out var datatype) ? datatype : throw new OnnxFormatException($"{role} '{name}' has element type {elementType}, which is not an ONNX tensor type Keelson serves"),
            Shape = shape,
            DimensionNames = names,
        };
    }

    private static void ReadShape(ProtoWire shape, List<long> dims, List<string?> names)
    {
        while (!shape.AtEnd)
        {
            var (field, wire) = shape.ReadTag();
            if (field != 1)
            {
                shape.Skip(wire);
                continue;
            }

            var dim = shape.ReadMessage(wire, "a dimension");
            long value = -1;
            string? param = null;
            while (!dim.AtEnd)
            {
                var (df, dw) = dim.ReadTag();
                switch (df)
                {
                    case 1: value = dim.ReadInt64(dw); break;
                    case 2: param = dim.ReadString(dw); break;
                    default: dim.Skip(dw); break;
                }
            }

            dims.Add(param is null && value >= 0 ? value : -1);
            names.Add(param is { Length: > 0 } ? param : null);
        }
    }
}
