using System.Globalization;
using Keelson.Operations.Models;

namespace Keelson.Inference;

/// <summary>
/// Checks a request's tensors against what the model declares before anything runs: every input given once by name,
/// its datatype and shape (open dimensions given as sizes), the element count matching the shape, and the size limit.
/// Each refusal names the input and what the model expects.
/// </summary>
public static class RequestChecks
{
    /// <summary>The inputs in the model's order; <see cref="InferenceRequestException"/> naming the first problem otherwise.</summary>
    public static IReadOnlyList<InferenceTensor> Inputs(OnnxModelInfo model, IReadOnlyList<InferenceTensor> given, long maxElements)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(given);
        var byName = new Dictionary<string, InferenceTensor>(StringComparer.Ordinal);
        foreach (var tensor in given)
        {
            if (!byName.TryAdd(tensor.Name, tensor))
            {
                throw Bad($"input '{tensor.Name}' is given twice");
            }

            if (!model.Inputs.Any(i => i.Name == tensor.Name))
            {
                throw Bad($"the model has no input '{tensor.Name}'; its inputs are {Describe(model.Inputs)}");
            }
        }

        var ordered = new List<InferenceTensor>(model.Inputs.Count);
        long total = 0;
        foreach (var spec in model.Inputs)
        {
            if (!byName.TryGetValue(spec.Name, out var tensor))
            {
                throw Bad($"input '{spec.Name}' is missing; the model expects {Describe(model.Inputs)}");
            }

            if (tensor.Datatype != spec.Datatype)
            {
                throw Bad($"input '{spec.Name}' must be {spec.Datatype}, not {tensor.Datatype} (expected {spec.Datatype}{spec.ShapeText()})");
            }

            CheckShape(spec, tensor);
            total += tensor.ElementCount;
            if (total > maxElements)
            {
                throw new InferenceRequestException(413, "The request's tensors are too large",
                    Invariant($"input '{spec.Name}' brings the request to {total} elements; at most {maxElements} are accepted per request (Keelson:Models:MaxRequestElements)"));
            }

            ordered.Add(tensor);
        }

        return ordered;
    }

    /// <summary>The outputs a request asks for (all when none are named); <see cref="InferenceRequestException"/> for a name the model lacks.</summary>
    public static IReadOnlyList<string> Outputs(OnnxModelInfo model, IReadOnlyList<string> requested)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(requested);
        foreach (var name in requested.Where(n => !model.Outputs.Any(o => o.Name == n)))
        {
            throw Bad($"the model has no output '{name}'; its outputs are {Describe(model.Outputs)}");
        }

        return requested.Count == 0 ? [.. model.Outputs.Select(o => o.Name)] : requested;
    }

    private static void CheckShape(TensorSpec spec, InferenceTensor tensor)
    {
        var shape = tensor.Shape;
        if (shape.Length != spec.Shape.Count)
        {
            throw Bad(Invariant($"input '{spec.Name}' has {shape.Length} dimensions [{string.Join(", ", shape)}]; the model expects {spec.Shape.Count}: {spec.Datatype}{spec.ShapeText()}"));
        }

        for (var i = 0; i < shape.Length; i++)
        {
            if (shape[i] < 0)
            {
                throw Bad(Invariant($"input '{spec.Name}' dimension {i} is {shape[i]}; give its size (the model leaves {(spec.DimensionNames[i] is { } n ? $"'{n}'" : "it")} open: {spec.Datatype}{spec.ShapeText()})"));
            }

            if (spec.Shape[i] >= 0 && spec.Shape[i] != shape[i])
            {
                throw Bad(Invariant($"input '{spec.Name}' has shape [{string.Join(", ", shape)}]; dimension {i} must be {spec.Shape[i]} (expected {spec.Datatype}{spec.ShapeText()})"));
            }
        }

        var count = TensorTypes.Count(shape);
        if (tensor.Data.LongLength != count)
        {
            throw Bad(Invariant($"input '{spec.Name}' has {tensor.Data.LongLength} values but shape [{string.Join(", ", shape)}] holds {count}"));
        }
    }

    private static string Describe(IEnumerable<TensorSpec> specs) => string.Join(", ", specs.Select(s => $"'{s.Name}' {s.Datatype}{s.ShapeText()}"));

    private static InferenceRequestException Bad(string detail) => new(400, "The inference request is not valid", detail);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
