using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Operations.Jobs;
using Keelson.Spec.Units;

namespace Keelson.Server.Api;

/// <summary>Reads typed fields of a JSON body, collecting an error per field path instead of throwing.</summary>
internal sealed class JobFields(JsonObject body, string prefix = "")
{
    private static readonly string[] QuantityFields = ["cpu", "memory", "gpu"];

    public Dictionary<string, string[]> Errors { get; init; } = new(StringComparer.Ordinal);

    public void Error(string field, string message) => Errors[prefix + field] = [message];

    /// <summary>Fields not in <paramref name="known"/> are errors: a misspelt field must not be silently ignored.</summary>
    public void OnlyKnown(params string[] known)
    {
        foreach (var (key, _) in body)
        {
            if (!known.Contains(key, StringComparer.Ordinal))
            {
                Error(key, $"unknown field; allowed: {string.Join(", ", known)}");
            }
        }
    }

    public string? String(string field, bool required)
    {
        if (!body.TryGetPropertyValue(field, out var node) || node is null)
        {
            if (required)
            {
                Error(field, "is required");
            }

            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            Error(field, $"must be a string; got {node.ToJsonString()}");
            return null;
        }

        return node.GetValue<string>();
    }

    public long? Integer(string field, long min, long max)
    {
        if (!body.TryGetPropertyValue(field, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.Number || !long.TryParse(node.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            Error(field, $"must be a whole number from {min} to {max}; got {node.ToJsonString()}");
            return null;
        }

        if (value < min || value > max)
        {
            Error(field, string.Create(CultureInfo.InvariantCulture, $"must be from {min} to {max}; got {value}"));
            return null;
        }

        return value;
    }

    public IReadOnlyList<string> Strings(string field)
    {
        if (!body.TryGetPropertyValue(field, out var node) || node is null)
        {
            return [];
        }

        if (node is not JsonArray array || array.Any(n => n is null || n.GetValueKind() != JsonValueKind.String))
        {
            Error(field, "must be an array of strings");
            return [];
        }

        return [.. array.Select(n => n!.GetValue<string>())];
    }

    public IReadOnlyDictionary<string, string> Map(string field, Func<string, bool> validKey, string keyRule)
    {
        if (!body.TryGetPropertyValue(field, out var node) || node is null)
        {
            return new Dictionary<string, string>();
        }

        if (node is not JsonObject map || map.Any(p => p.Value is null || p.Value.GetValueKind() != JsonValueKind.String))
        {
            Error(field, "must be an object of string values");
            return new Dictionary<string, string>();
        }

        foreach (var (key, _) in map.Where(p => !validKey(p.Key)))
        {
            Error($"{field}.{key}", keyRule);
        }

        return map.ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
    }

    public JsonObject? Object(string field, bool required)
    {
        if (!body.TryGetPropertyValue(field, out var node) || node is null)
        {
            if (required)
            {
                Error(field, "is required");
            }

            return null;
        }

        if (node is not JsonObject o)
        {
            Error(field, "must be an object");
            return null;
        }

        return o;
    }

    /// <summary>
    /// <c>{cpu, memory, gpu}</c>: CPU as a Kubernetes quantity or a number of cores, memory as a quantity (<c>16Gi</c>),
    /// GPUs as a count. Missing resources are zero unless <paramref name="requireCpuAndMemory"/>.
    /// </summary>
    public Quantities? Quantities(string field, bool requireCpuAndMemory, params string[] extra)
    {
        if (Object(field, requireCpuAndMemory) is not { } o)
        {
            return null;
        }

        var inner = new JobFields(o, $"{prefix}{field}.") { Errors = Errors };
        inner.OnlyKnown([.. QuantityFields.Concat(extra)]);
        long milli = 0, bytes = 0;
        if (o.TryGetPropertyValue("cpu", out var cpu) && cpu is not null)
        {
            var text = cpu.GetValueKind() == JsonValueKind.String ? cpu.GetValue<string>() : cpu.GetValueKind() == JsonValueKind.Number ? cpu.ToJsonString() : "";
            if (MilliCpu.TryParse(text, out var parsed) && parsed.Value >= 0)
            {
                milli = parsed.Value;
            }
            else
            {
                inner.Error("cpu", $"must be a CPU quantity such as 500m, 2 or 1.5; got {cpu.ToJsonString()}");
            }
        }
        else if (requireCpuAndMemory)
        {
            inner.Error("cpu", "is required (e.g. \"500m\" or \"2\")");
        }

        if (inner.String("memory", false) is { } memory)
        {
            if (ByteSize.TryParse(memory, out var parsed) && parsed.Bytes >= 0)
            {
                bytes = parsed.Bytes;
            }
            else
            {
                inner.Error("memory", $"must be a memory quantity such as 512Mi or 16Gi; got \"{memory}\"");
            }
        }
        else if (requireCpuAndMemory && !Errors.ContainsKey($"{prefix}{field}.memory"))
        {
            inner.Error("memory", "is required (e.g. \"2Gi\")");
        }

        var gpus = inner.Integer("gpu", 0, 64) ?? 0;
        return new Quantities(milli, bytes, gpus);
    }
}
