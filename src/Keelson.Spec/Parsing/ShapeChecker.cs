using System.Globalization;
using Keelson.Spec.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keelson.Spec.Parsing;

/// <summary>Checks a YAML node tree against a <see cref="Shape"/>, collecting every problem with its location.</summary>
internal sealed class ShapeChecker(string file, List<Diagnostic> diagnostics)
{
    /// <summary>Start of every node visited, by field path; semantic checks use it to locate their findings.</summary>
    public Dictionary<string, Mark> Locations { get; } = new(StringComparer.Ordinal);

    public void Check(YamlNode node, Shape shape, string path)
    {
        Locations[path] = node.Start;
        switch (shape)
        {
            case ObjectShape obj:
                if (Expect<YamlMappingNode>(node, path, "a mapping") is { } map)
                {
                    CheckObject(map, obj, obj.Fields, path);
                }

                break;
            case TaggedShape tagged:
                if (Expect<YamlMappingNode>(node, path, "a mapping") is { } tmap)
                {
                    CheckTagged(tmap, tagged, path);
                }

                break;
            case ListShape list:
                if (Expect<YamlSequenceNode>(node, path, "a list") is { } seq)
                {
                    if (seq.Children.Count < list.MinItems)
                    {
                        Add(DiagnosticCodes.OutOfRange, node, path, string.Create(CultureInfo.InvariantCulture, $"needs at least {list.MinItems} item(s)"));
                    }

                    for (var i = 0; i < seq.Children.Count; i++)
                    {
                        Check(seq.Children[i], list.Item, string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"));
                    }
                }

                break;
            case MapShape mapShape:
                if (Expect<YamlMappingNode>(node, path, "a mapping") is { } entries)
                {
                    foreach (var (key, value) in entries.Children)
                    {
                        var name = ((YamlScalarNode)key).Value ?? "";
                        var childPath = Join(path, name);
                        if (Scalars.Check(mapShape.KeyType, name) is { } allowedKey)
                        {
                            Add(DiagnosticCodes.InvalidValue, key, childPath, $"key '{name}' is not valid; expected {allowedKey}");
                        }

                        Check(value, mapShape.Value, childPath);
                    }
                }

                break;
            case ScalarShape scalar:
                CheckScalar(node, scalar, path);
                break;
            default:
                throw new InvalidOperationException($"Unhandled shape {shape.GetType().Name}.");
        }
    }

    private void CheckTagged(YamlMappingNode map, TaggedShape shape, string path)
    {
        var tagNode = Find(map, shape.Tag);
        var tag = (tagNode as YamlScalarNode)?.Value;
        if (tag is not null && shape.Variants.TryGetValue(tag, out var variant))
        {
            CheckObject(map, variant, [.. shape.Common, .. variant.Fields], path);
            return;
        }

        // Without a usable tag only the common fields can be checked; report the tag itself once.
        var known = shape.Variants.Values.SelectMany(v => v.Fields).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var common = new ObjectShape(shape.Description, shape.Common);
        CheckObject(map, common, shape.Common, path, tolerated: known);
    }

    private void CheckObject(YamlMappingNode map, ObjectShape shape, IReadOnlyList<Field> fields, string path, HashSet<string>? tolerated = null)
    {
        var byName = fields.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in map.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            var childPath = Join(path, name);
            if (!byName.TryGetValue(name, out var field))
            {
                if (tolerated?.Contains(name) == true)
                {
                    continue;
                }

                Locations[childPath] = keyNode.Start;
                var hint = Suggestions.Closest(name, byName.Keys) is { } s ? $"; did you mean '{s}'?" : "";
                Add(DiagnosticCodes.UnknownField, keyNode, childPath, $"unknown field '{name}'{hint} Allowed here: {string.Join(", ", byName.Keys)}");
                continue;
            }

            present.Add(name);
            Check(value, field.Shape, childPath);
        }

        foreach (var field in fields.Where(f => f.Required && !present.Contains(f.Name)))
        {
            Add(DiagnosticCodes.MissingField, map, Join(path, field.Name), $"required field '{field.Name}' is missing ({field.Shape.Description})");
        }

        foreach (var (a, b) in shape.Exclusive)
        {
            if (present.Contains(a) && present.Contains(b))
            {
                Add(DiagnosticCodes.Conflict, Find(map, b)!, Join(path, b), $"'{a}' and '{b}' cannot be given together; choose one");
            }
        }

        foreach (var group in shape.AnyOf)
        {
            if (!group.Any(present.Contains))
            {
                Add(DiagnosticCodes.MissingField, map, path, $"one of {string.Join(" or ", group.Select(g => $"'{g}'"))} is required");
            }
        }

        foreach (var (field, needs) in shape.Requires)
        {
            if (present.Contains(field) && !present.Contains(needs))
            {
                Add(DiagnosticCodes.MissingField, Find(map, field)!, Join(path, field), $"'{field}' needs '{needs}' beside it");
            }
        }
    }

    private void CheckScalar(YamlNode node, ScalarShape shape, string path)
    {
        if (Expect<YamlScalarNode>(node, path, "a single value") is not { } scalar)
        {
            return;
        }

        var text = scalar.Value ?? "";
        var quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;
        if (!quoted && text is "" or "~" or "null")
        {
            Add(DiagnosticCodes.InvalidValue, node, path, $"a value is required: {shape.Description}");
            return;
        }

        if (quoted && shape.Type is ScalarType.WholeNumber or ScalarType.Number or ScalarType.Boolean)
        {
            Add(DiagnosticCodes.InvalidValue, node, path, $"expected {Describe(shape.Type)}, found the string \"{text}\"; remove the quotes");
            return;
        }

        if (shape.Enum is { } allowed)
        {
            if (!allowed.Contains(text, StringComparer.Ordinal))
            {
                var hint = Suggestions.Closest(text, allowed) is { } s ? $" (did you mean '{s}'?)" : "";
                Add(DiagnosticCodes.OutOfRange, node, path, $"'{text}' is not allowed{hint}; allowed: {string.Join(", ", allowed)}");
            }

            return;
        }

        if (Scalars.Check(shape.Type, text) is { } expected)
        {
            Add(DiagnosticCodes.InvalidValue, node, path, $"'{text}' is not valid; expected {expected}");
            return;
        }

        if (shape.Minimum is null && shape.Maximum is null)
        {
            return;
        }

        var number = shape.Type == ScalarType.Percent
            ? (Scalars.TryPercent(text, out var p) ? p : double.NaN)
            : (Scalars.TryNumber(text, out var n) ? n : double.NaN);
        if (number < shape.Minimum || number > shape.Maximum)
        {
            var range = (shape.Minimum, shape.Maximum) switch
            {
                ({ } lo, { } hi) => string.Create(CultureInfo.InvariantCulture, $"between {lo} and {hi}"),
                ({ } lo, null) => string.Create(CultureInfo.InvariantCulture, $"at least {lo}"),
                (null, { } hi) => string.Create(CultureInfo.InvariantCulture, $"at most {hi}"),
                _ => "",
            };
            Add(DiagnosticCodes.OutOfRange, node, path, $"{text} is out of range; allowed: {range}");
        }
    }

    private T? Expect<T>(YamlNode node, string path, string what)
        where T : YamlNode
    {
        if (node is T typed)
        {
            return typed;
        }

        var found = node switch
        {
            YamlMappingNode => "a mapping",
            YamlSequenceNode => "a list",
            YamlScalarNode s => $"the value '{s.Value}'",
            _ => "something else",
        };
        Add(DiagnosticCodes.InvalidValue, node, path, $"expected {what}, found {found}");
        return null;
    }

    private static string Describe(ScalarType type) => type switch
    {
        ScalarType.WholeNumber => "an integer",
        ScalarType.Number => "a number",
        ScalarType.Boolean => "true or false",
        _ => type.ToString(),
    };

    internal static YamlNode? Find(YamlMappingNode map, string key)
    {
        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode s && s.Value == key)
            {
                return v;
            }
        }

        return null;
    }

    internal static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private void Add(string code, YamlNode node, string path, string message) =>
        diagnostics.Add(new Diagnostic(code, file, (int)node.Start.Line, (int)node.Start.Column, path, message));
}
