using System.Globalization;
using Keelson.Spec.Units;
using YamlDotNet.RepresentationModel;

namespace Keelson.Spec.Parsing;

/// <summary>Typed reads from a mapping that has already passed the shape check.</summary>
internal readonly struct YamlMap(YamlMappingNode? node)
{
    public bool Exists => node is not null;

    public YamlMappingNode? Node => node;

    public bool Has(string key) => node is not null && ShapeChecker.Find(node, key) is not null;

    public string? String(string key) => node is null ? null : (ShapeChecker.Find(node, key) as YamlScalarNode)?.Value;

    public string Required(string key) => String(key) ?? throw new InvalidOperationException($"Field '{key}' passed the shape check but is missing.");

    public int? Int(string key) => String(key) is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : null;

    public double? Double(string key) => String(key) is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : null;

    public bool? Bool(string key) => String(key) is { } s ? s == "true" : null;

    public double? Percent(string key) => String(key) is { } s && Scalars.TryPercent(s, out var p) ? p : null;

    public TimeSpan? Duration(string key) => String(key) is { } s && Scalars.TryDuration(s, out var d) ? d : null;

    public MilliCpu? Cpu(string key) => String(key) is { } s && MilliCpu.TryParse(s, out var c) ? c : null;

    public ByteSize? Memory(string key) => String(key) is { } s && ByteSize.TryParse(s, out var m) ? m : null;

    public YamlMap Map(string key) => new(node is null ? null : ShapeChecker.Find(node, key) as YamlMappingNode);

    public IReadOnlyList<YamlMap> Maps(string key) =>
        node is not null && ShapeChecker.Find(node, key) is YamlSequenceNode seq
            ? [.. seq.Children.Select(c => new YamlMap(c as YamlMappingNode))]
            : [];

    public IReadOnlyList<string> Strings(string key) =>
        node is not null && ShapeChecker.Find(node, key) is YamlSequenceNode seq
            ? [.. seq.Children.Select(c => ((YamlScalarNode)c).Value ?? "")]
            : [];

    public IReadOnlyDictionary<string, string> Dictionary(string key)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (node is not null && ShapeChecker.Find(node, key) is YamlMappingNode map)
        {
            foreach (var (k, v) in map.Children)
            {
                result[((YamlScalarNode)k).Value ?? ""] = ((YamlScalarNode)v).Value ?? "";
            }
        }

        return result;
    }
}
