using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using k8s.Models;
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

    private static readonly ConcurrentDictionary<Type, IReadOnlyDictionary<string, Type>> Properties = new();

    /// <summary>Walks <paramref name="document"/> against <paramref name="type"/>, adding findings.</summary>
    public static void Check(ManifestDocument document, Type type, List<Finding> findings) =>
        Walk(document, document.Node, type, "", findings);

    private static void Walk(ManifestDocument document, YamlElement node, Type type, string path, List<Finding> findings)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (node is YamlValue { IsNull: true })
        {
            return;
        }

        if (type == typeof(object) || type == typeof(System.Text.Json.JsonElement))
        {
            return;
        }

        if (type == typeof(string))
        {
            if (node is not YamlValue s)
            {
                Wrong(document, node, path, "a string", findings);
            }
            else if (s.IsPlain && MaybeNotString(s.Value!) && (Number().IsMatch(s.Value!) || Boolean().IsMatch(s.Value!)))
            {
                Add(findings, document, WrongTypeId, Severity.Error, node, path,
                    $"'{s.Value}' is read as a {(Boolean().IsMatch(s.Value!) ? "boolean" : "number")}, but the field is a string",
                    $"Quote it: \"{s.Value}\".");
            }

            return;
        }

        if (type == typeof(ResourceQuantity))
        {
            if (node is not YamlValue q || !Quantity().IsMatch(q.Value!))
            {
                Add(findings, document, QuantityId, Severity.Error, node, path,
                    $"'{(node as YamlValue)?.Value ?? "(not a value)"}' is not a Kubernetes quantity",
                    "Write CPU as 250m or 1.5 and memory as 512Mi or 2Gi (binary suffixes Ki, Mi, Gi; decimal k, M, G).");
            }

            return;
        }

        if (type == typeof(IntOrString))
        {
            if (node is not YamlValue)
            {
                Wrong(document, node, path, "a number or a string", findings);
            }

            return;
        }

        if (type == typeof(bool))
        {
            if (node is not YamlValue { IsPlain: true } b || !Boolean().IsMatch(b.Value!))
            {
                Wrong(document, node, path, "true or false", findings);
            }

            return;
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(double) || type == typeof(float))
        {
            if (node is not YamlValue { IsPlain: true } n || !Number().IsMatch(n.Value!)
                || (type != typeof(double) && type != typeof(float) && !long.TryParse(n.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
            {
                Wrong(document, node, path, type == typeof(double) || type == typeof(float) ? "a number" : "an integer", findings);
            }

            return;
        }

        if (type == typeof(DateTime) || type == typeof(byte[]))
        {
            if (node is not YamlValue)
            {
                Wrong(document, node, path, "a string", findings);
            }

            return;
        }

        if (Dictionary(type) is { } valueType)
        {
            if (node is not YamlMap map)
            {
                Wrong(document, node, path, "a mapping", findings);
                return;
            }

            foreach (var (key, value) in map.Entries)
            {
                Walk(document, value, valueType, Join(path, key.Value), findings);
            }

            return;
        }

        if (List(type) is { } itemType)
        {
            if (node is not YamlSeq sequence)
            {
                Wrong(document, node, path, "a list", findings);
                return;
            }

            for (var i = 0; i < sequence.Count; i++)
            {
                Walk(document, sequence[i], itemType, string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]"), findings);
            }

            return;
        }

        if (node is not YamlMap mapping)
        {
            Wrong(document, node, path, "a mapping", findings);
            return;
        }

        var fields = Properties.GetOrAdd(type, FieldsOf);
        foreach (var (keyNode, value) in mapping.Entries)
        {
            var name = keyNode.Value;
            if (name == "<<")
            {
                // A YAML merge key (kubectl accepts them); the merged fields are not walked.
                continue;
            }

            if (fields.TryGetValue(name, out var fieldType))
            {
                Walk(document, value, fieldType, Join(path, name), findings);
                continue;
            }

            var hint = Suggestions.Closest(name, fields.Keys) is { } close ? $"Did you mean '{close}'?" : $"Known fields: {string.Join(", ", fields.Keys.Order(StringComparer.Ordinal))}.";
            Add(findings, document, UnknownFieldId, Severity.Error, keyNode, Join(path, name), $"unknown field '{name}' in {type.Name}", hint);
        }
    }

    /// <summary>Cheap pre-check before the regexes: only values starting like a number or a boolean word can be one.</summary>
    private static bool MaybeNotString(string value) =>
        value.Length > 0 && (char.IsAsciiDigit(value[0]) || value[0] is '-' or '+' or '.' or 't' or 'T' or 'f' or 'F' or 'y' or 'Y' or 'n' or 'N' or 'o' or 'O' || value.StartsWith("0x", StringComparison.Ordinal));

    private static IReadOnlyDictionary<string, Type> FieldsOf(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, p.PropertyType))
            .Where(p => p.Name is not null)
            .ToDictionary(p => p.Name!, p => p.PropertyType, StringComparer.Ordinal);

    private static readonly ConcurrentDictionary<Type, (Type? Dictionary, Type? List)> Shapes = new();

    private static Type? Dictionary(Type type) => Shapes.GetOrAdd(type, t => (DictionaryValue(t), ListItem(t))).Dictionary;

    private static Type? List(Type type) => Shapes.GetOrAdd(type, t => (DictionaryValue(t), ListItem(t))).List;

    private static Type? DictionaryValue(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var key, var value] && key == typeof(string)
            && typeof(IEnumerable).IsAssignableFrom(type) && type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>))
            ? value
            : null;

    private static Type? ListItem(Type type) =>
        type != typeof(string) && type.IsGenericType && type.GetGenericArguments() is [var item]
            && type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            ? item
            : null;

    private static void Wrong(ManifestDocument document, YamlElement node, string path, string expected, List<Finding> findings)
    {
        var found = node switch
        {
            YamlMap => "a mapping",
            YamlSeq => "a list",
            YamlValue s => $"'{s.Value}'",
            _ => "something else",
        };
        Add(findings, document, WrongTypeId, Severity.Error, node, path, $"expected {expected}, found {found}", "Compare with the field's type in the Kubernetes API reference.");
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static void Add(List<Finding> findings, ManifestDocument document, string id, Severity severity, YamlElement node, string path, string message, string hint) =>
        findings.Add(new Finding(id, severity, document.Ref, document.File, node.Line, path, message, hint));
}
