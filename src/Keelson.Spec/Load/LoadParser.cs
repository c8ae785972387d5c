using Keelson.Spec.Parsing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keelson.Spec.Load;

/// <summary>Reads a load file, reporting errors with file, line, column and field path.</summary>
public static class LoadParser
{
    /// <summary>Parses <paramref name="text"/>; components must be among <paramref name="components"/> (the stack's).</summary>
    public static ParseResult<LoadSpec> Parse(string text, string file, IReadOnlyCollection<string> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        var diagnostics = new List<Diagnostic>();
        YamlNode root;
        try
        {
            var stream = NestingLimit.LoadStream(text);
            if (stream.Documents.Count != 1)
            {
                return ParseResult.Failure<LoadSpec>([new Diagnostic(DiagnosticCodes.Syntax, file, 1, 1, "", $"expected exactly one document, found {stream.Documents.Count}")]);
            }

            root = stream.Documents[0].RootNode;
        }
        catch (YamlException e)
        {
            return ParseResult.Failure<LoadSpec>([new Diagnostic(DiagnosticCodes.Syntax, file, (int)e.Start.Line, (int)e.Start.Column, "", $"not valid YAML or JSON: {e.InnerException?.Message ?? e.Message}")]);
        }

        new ShapeChecker(file, diagnostics).Check(root, LoadSchema.Load, "");
        if (diagnostics.Count > 0)
        {
            return ParseResult.Failure<LoadSpec>(diagnostics);
        }

        var map = new YamlMap((YamlMappingNode)root);
        var overrides = new SortedDictionary<string, ComponentLoad>(StringComparer.Ordinal);
        if (map.Map("components").Node is { } byName)
        {
            foreach (var (key, value) in byName.Children)
            {
                var name = ((YamlScalarNode)key).Value!;
                if (!components.Contains(name))
                {
                    diagnostics.Add(new Diagnostic(DiagnosticCodes.UnknownReference, file, (int)key.Start.Line, (int)key.Start.Column, $"components.{name}",
                        $"the stack has no component '{name}'; it has {string.Join(", ", components.Order(StringComparer.Ordinal))}"));
                    continue;
                }

                var component = new YamlMap((YamlMappingNode)value);
                overrides[name] = new ComponentLoad(component.Double("scale") ?? 1, component.Has("curve") ? Points(component.Dictionary("curve")) : null);
            }
        }

        return diagnostics.Count > 0
            ? ParseResult.Failure<LoadSpec>(diagnostics)
            : ParseResult.Success(new LoadSpec(map.String("name") ?? Path.GetFileNameWithoutExtension(file), Points(map.Dictionary("curve")), overrides));
    }

    // Keys and values passed the shape check (TimeOfDay, Number), so they parse.
    private static IReadOnlyList<LoadPoint> Points(IReadOnlyDictionary<string, string> curve) =>
        [.. curve.Select(p => new LoadPoint(Scalars.TryTimeOfDay(p.Key, out var at) ? at : TimeSpan.Zero, double.Parse(p.Value, System.Globalization.CultureInfo.InvariantCulture)))
            .OrderBy(p => p.At)];
}
