using System.Globalization;
using System.Text.RegularExpressions;
using Keelson.Spec.Parsing;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Schema;

/// <summary>
/// Checks a YAML object against its <c>KubernetesClient</c> model, field by field: unknown fields, mappings
/// where lists belong, strings where numbers belong, quantities that do not parse. The models are generated
/// from the Kubernetes OpenAPI document, so the structure is the API server's.
/// </summary>
public static partial class SchemaWalker
{
    /// <summary>A field the model does not have.</summary>
    public const string UnknownFieldId = "schema-unknown-field";

    /// <summary>A value of the wrong type.</summary>
    public const string WrongTypeId = "schema-wrong-type";

    /// <summary>A resource quantity that does not parse.</summary>
    public const string QuantityId = "schema-quantity";

    // Plain YAML scalars a JSON conversion turns into numbers, booleans or null (YAML 1.1 and 1.2 core).
    [GeneratedRegex(@"^(?:[-+]?(?:[0-9][0-9_]*)(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9]+|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")]
    private static partial Regex Number();

    [GeneratedRegex(@"^(?:true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$")]
    private static partial Regex Boolean();

    [GeneratedRegex(@"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|[eE][+-]?[0-9]+)?$")]
    private static partial Regex Quantity();

    // Prometheus durations (model.ParseDuration): units in descending order, each at most once, or a bare 0.
    [GeneratedRegex(@"^(?:0|(?:[0-9]+y)?(?:[0-9]+w)?(?:[0-9]+d)?(?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s)?(?:[0-9]+ms)?)$")]
    private static partial Regex Duration();

    /// <summary>Walks <paramref name="document"/> against <paramref name="type"/>, adding findings.</summary>
    public static void Check(ManifestDocument document, Type type, List<Finding> findings) =>
        Check(document, Shape.Of(type), findings);

    /// <summary>Walks <paramref name="document"/> against a shape described by hand (a custom resource), adding findings.</summary>
    internal static void Check(ManifestDocument document, Shape shape, List<Finding> findings) =>
        new Walk(document, findings).Visit(document.Node, shape);

    /// <summary>One object's walk: where it is, and where findings go.</summary>
    private sealed class Walk(ManifestDocument document, List<Finding> findings)
    {
        private readonly FieldPath path = new();

        public void Visit(YamlElement node, Shape shape)
        {
            if (node is YamlValue { IsNull: true } || shape.Kind == ShapeKind.Any)
            {
                return;
            }

            var scalar = node as YamlValue;
            switch (shape.Kind)
            {
                case ShapeKind.String or ShapeKind.Duration:
                    if (scalar is null)
                    {
                        Wrong(node, "a string");
                    }
                    else if (scalar.IsPlain && MaybeNotString(scalar.Value) && (Number().IsMatch(scalar.Value) || Boolean().IsMatch(scalar.Value)))
                    {
                        Add(WrongTypeId, node.Line, path.ToString(),
                            $"'{scalar.Value}' is read as a {(Boolean().IsMatch(scalar.Value) ? "boolean" : "number")}, but the field is a string",
                            $"Quote it: \"{scalar.Value}\".");
                    }
                    else
                    {
                        CheckValue(scalar, shape);
                    }

                    return;
                case ShapeKind.Quantity:
                    if (scalar is null || !Quantity().IsMatch(scalar.Value))
                    {
                        Add(QuantityId, node.Line, path.ToString(),
                            $"'{scalar?.Value ?? "(not a value)"}' is not a Kubernetes quantity",
                            "Write CPU as 250m or 1.5 and memory as 512Mi or 2Gi (binary suffixes Ki, Mi, Gi; decimal k, M, G).");
                    }

                    return;
                case ShapeKind.IntOrString or ShapeKind.Scalar:
                    if (scalar is null)
                    {
                        Wrong(node, shape.Kind == ShapeKind.IntOrString ? "a number or a string" : "a string");
                    }

                    return;
                case ShapeKind.Boolean:
                    if (scalar is not { IsPlain: true } || !Boolean().IsMatch(scalar.Value))
                    {
                        Wrong(node, "true or false");
                    }

                    return;
                case ShapeKind.Integer or ShapeKind.Number:
                    if (scalar is not { IsPlain: true } || !Number().IsMatch(scalar.Value)
                        || (shape.Kind == ShapeKind.Integer && !long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
                    {
                        Wrong(node, shape.Kind == ShapeKind.Number ? "a number" : "an integer");
                    }

                    return;
                case ShapeKind.Map:
                    VisitMap(node, shape);
                    return;
                case ShapeKind.List:
                    VisitList(node, shape);
                    return;
                default:
                    VisitObject(node, shape);
                    return;
            }
        }

        private void VisitMap(YamlElement node, Shape shape)
        {
            if (node is not YamlMap map)
            {
                Wrong(node, "a mapping");
                return;
            }

            foreach (var (key, value) in map.Entries)
            {
                path.Push(key);
                Visit(value, shape.Item!);
                path.Pop();
            }
        }

        private void VisitList(YamlElement node, Shape shape)
        {
            if (node is not YamlSeq sequence)
            {
                Wrong(node, "a list");
                return;
            }

            for (var i = 0; i < sequence.Count; i++)
            {
                path.Push(i);
                Visit(sequence[i], shape.Item!);
                path.Pop();
            }
        }

        private void VisitObject(YamlElement node, Shape shape)
        {
            if (node is not YamlMap mapping)
            {
                Wrong(node, "a mapping");
                return;
            }

            foreach (var entry in mapping.Entries)
            {
                var (name, value) = entry;
                if (shape.Fields.TryGetValue(name, out var field))
                {
                    path.Push(name);
                    Visit(value, field);
                    path.Pop();
                }
                else if (name != "<<")
                {
                    // A YAML merge key (kubectl accepts them) is skipped; its merged fields are not walked.
                    var hint = Suggestions.Closest(name, shape.FieldNames) is { } close ? $"Did you mean '{close}'?" : $"Known fields: {string.Join(", ", shape.FieldNames.Order(StringComparer.Ordinal))}.";
                    Add(UnknownFieldId, entry.KeyLine, path.With(name), $"unknown field '{name}' in {shape.TypeName}", hint);
                }
            }

            foreach (var field in shape.Required)
            {
                if (!mapping.ContainsKey(field))
                {
                    findings.Add(FieldRules.Missing(document, mapping.Line, path.With(field), field));
                }
            }

            foreach (var group in shape.ExactlyOne)
            {
                CheckExactlyOne(mapping, group);
            }
        }

        private void CheckValue(YamlValue scalar, Shape shape)
        {
            if (shape.Allowed is { } allowed && !allowed.Contains(scalar.Value, StringComparer.Ordinal))
            {
                findings.Add(FieldRules.NotAllowed(document, scalar.Line, path.ToString(), scalar.Value, allowed));
            }
            else if (shape.Kind == ShapeKind.Duration && !Duration().IsMatch(scalar.Value))
            {
                findings.Add(FieldRules.Finding(document, FieldRules.ValueId, scalar.Line, path.ToString(), $"'{scalar.Value}' is not a duration",
                    "Write a Prometheus duration such as 30s, 5m or 1h30m (units ms, s, m, h, d, w, y, largest first)."));
            }
        }

        private void CheckExactlyOne(YamlMap mapping, string[] group)
        {
            var present = mapping.Entries.Where(e => group.Contains(e.Key, StringComparer.Ordinal)).ToList();
            var names = string.Join(" or ", group.Select(g => $"'{g}'"));
            if (present.Count == 0)
            {
                findings.Add(FieldRules.Finding(document, FieldRules.RequiredId, mapping.Line, path.ToString(), $"one of {names} is required", "Add one; it decides what the object is."));
            }
            else if (present.Count > 1)
            {
                findings.Add(FieldRules.Finding(document, FieldRules.ValueId, present[1].KeyLine, path.With(present[1].Key), $"only one of {names} may be set", $"Keep '{present[0].Key}' or '{present[1].Key}', not both."));
            }
        }

        private void Wrong(YamlElement node, string expected)
        {
            var found = node switch
            {
                YamlMap => "a mapping",
                YamlSeq => "a list",
                YamlValue s => $"'{s.Value}'",
                _ => "something else",
            };
            Add(WrongTypeId, node.Line, path.ToString(), $"expected {expected}, found {found}", "Compare with the field's type in the Kubernetes API reference.");
        }

        private void Add(string id, int line, string at, string message, string hint) =>
            findings.Add(new Finding(id, Severity.Error, document.Ref, document.File, line, at, message, hint));
    }

    /// <summary>Cheap pre-check before the regexes: only values starting like a number or a boolean word can be one.</summary>
    private static bool MaybeNotString(string value) =>
        value.Length > 0 && (char.IsAsciiDigit(value[0]) || value[0] is '-' or '+' or '.' or 't' or 'T' or 'f' or 'F' or 'y' or 'Y' or 'n' or 'N' or 'o' or 'O' || value.StartsWith("0x", StringComparison.Ordinal));
}
