using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Keelson.Sandbox.Server.CustomResources;

/// <summary>
/// The API extensions server's checks of a <c>CustomResourceDefinition</c> (apiextensions.k8s.io/v1), the essentials:
/// the name is <c>plural.group</c>, the group a domain, the scope Namespaced or Cluster, the names DNS labels (kind
/// and listKind apart), exactly one storage version and at least one served, version names unique, and each
/// version's <c>openAPIV3Schema</c> present and structural (an object at the root, every specified field typed,
/// arrays with items); printer columns with a name, a known type and a JSONPath.
/// </summary>
public static partial class DefinitionValidation
{
    private const string Label1123 = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    private const string Label1035 = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    private static readonly string[] Types = ["array", "boolean", "integer", "number", "object", "string"];
    private static readonly string[] ColumnTypes = ["boolean", "date", "integer", "number", "string"];

    /// <summary>The errors of a definition in JSON, empty when it is acceptable.</summary>
    public static IReadOnlyList<FieldError> Check(JsonObject crd)
    {
        ArgumentNullException.ThrowIfNull(crd);
        var errors = new List<FieldError>();
        var spec = crd["spec"] as JsonObject ?? [];
        var group = Text(spec["group"]);
        var names = spec["names"] as JsonObject ?? [];
        var plural = Text(names["plural"]);
        var name = Text(crd["metadata"]?["name"]);
        if (name.Length > 0 && plural.Length > 0 && name != $"{plural}.{group}")
        {
            errors.Add(FieldError.Invalid("metadata.name", name, "must be spec.names.plural+\".\"+spec.group"));
        }

        if (group.Length == 0)
        {
            errors.Add(FieldError.Required("spec.group"));
        }
        else if (!group.Contains('.', StringComparison.Ordinal))
        {
            errors.Add(FieldError.Invalid("spec.group", group, "should be a domain with at least one dot"));
        }

        CheckNames(names, errors);
        var scope = Text(spec["scope"]);
        if (scope.Length == 0)
        {
            errors.Add(FieldError.Required("spec.scope"));
        }
        else if (scope is not ("Cluster" or "Namespaced"))
        {
            errors.Add(FieldError.NotSupported("spec.scope", scope, ["Cluster", "Namespaced"]));
        }

        CheckVersions(spec["versions"] as JsonArray, errors);

        // The sandbox calls no webhooks: a definition that needs one to convert between versions is refused rather
        // than served with conversions that would silently not happen.
        if (Text(spec["conversion"]?["strategy"]) is { Length: > 0 } strategy && strategy != "None")
        {
            errors.Add(FieldError.NotSupported("spec.conversion.strategy", strategy, ["None"]) with { Body = $"Unsupported value: {FieldError.Quote(strategy)}: supported values: \"None\" (the Keelson sandbox calls no conversion webhooks)" });
        }

        return errors;
    }

    private static void CheckNames(JsonObject names, List<FieldError> errors)
    {
        var plural = Text(names["plural"]);
        if (plural.Length == 0)
        {
            errors.Add(FieldError.Required("spec.names.plural"));
        }
        else if (!IsLabel1123(plural))
        {
            errors.Add(FieldError.Invalid("spec.names.plural", plural, Label1123));
        }

        if (Text(names["singular"]) is { Length: > 0 } singular && !IsLabel1123(singular))
        {
            errors.Add(FieldError.Invalid("spec.names.singular", singular, Label1123));
        }

        var kind = Text(names["kind"]);
        if (kind.Length == 0)
        {
            errors.Add(FieldError.Required("spec.names.kind"));
        }
        else if (!IsLabel1035(kind.ToLowerInvariant()))
        {
            errors.Add(FieldError.Invalid("spec.names.kind", kind, "may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?"));
        }

        var listKind = Text(names["listKind"]);
        if (listKind.Length > 0 && !IsLabel1035(listKind.ToLowerInvariant()))
        {
            errors.Add(FieldError.Invalid("spec.names.listKind", listKind, "may have mixed case, but should otherwise match: [a-z]([-a-z0-9]*[a-z0-9])?"));
        }
        else if (listKind.Length > 0 && listKind == kind)
        {
            errors.Add(FieldError.Invalid("spec.names.listKind", listKind, "kind and listKind may not be the same or empty"));
        }

        foreach (var (field, list) in new[] { ("shortNames", names["shortNames"]), ("categories", names["categories"]) })
        {
            var items = list as JsonArray ?? [];
            for (var i = 0; i < items.Count; i++)
            {
                var item = Text(items[i]);
                if (!IsLabel1035(item))
                {
                    errors.Add(FieldError.Invalid($"spec.names.{field}[{i}]", item, Label1035));
                }
            }
        }
    }

    private static void CheckVersions(JsonArray? versions, List<FieldError> errors)
    {
        if (versions is null || versions.Count == 0)
        {
            errors.Add(FieldError.Required("spec.versions", "must have exactly one version marked as storage version"));
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var storage = 0;
        var served = 0;
        for (var i = 0; i < versions.Count; i++)
        {
            var at = $"spec.versions[{i}]";
            var version = versions[i] as JsonObject ?? [];
            var name = Text(version["name"]);
            if (name.Length == 0)
            {
                errors.Add(FieldError.Required($"{at}.name"));
            }
            else if (!IsLabel1035(name))
            {
                errors.Add(FieldError.Invalid($"{at}.name", name, Label1035));
            }
            else if (!seen.Add(name))
            {
                errors.Add(FieldError.Duplicate($"{at}.name", name));
            }

            storage += version["storage"]?.GetValueKind() == JsonValueKind.True ? 1 : 0;
            served += version["served"]?.GetValueKind() == JsonValueKind.True ? 1 : 0;
            if (version["schema"]?["openAPIV3Schema"] is JsonObject schema)
            {
                CheckSchema(schema, $"{at}.schema.openAPIV3Schema", root: true, errors);
            }
            else
            {
                errors.Add(FieldError.Required($"{at}.schema.openAPIV3Schema", "schemas are required"));
            }

            var columns = version["additionalPrinterColumns"] as JsonArray ?? [];
            for (var c = 0; c < columns.Count; c++)
            {
                CheckColumn(columns[c] as JsonObject ?? [], $"{at}.additionalPrinterColumns[{c}]", errors);
            }
        }

        var names = new JsonArray([.. versions.Select(v => (JsonNode?)Text(v?["name"]))]);
        if (storage != 1)
        {
            errors.Add(FieldError.Invalid("spec.versions", names, "must have exactly one version marked as storage version"));
        }

        if (served == 0)
        {
            errors.Add(FieldError.Invalid("spec.versions", names, "must have at least one version marked as served"));
        }
    }

    private static void CheckColumn(JsonObject column, string at, List<FieldError> errors)
    {
        if (Text(column["name"]).Length == 0)
        {
            errors.Add(FieldError.Required($"{at}.name"));
        }

        var type = Text(column["type"]);
        if (type.Length == 0)
        {
            errors.Add(FieldError.Required($"{at}.type"));
        }
        else if (!ColumnTypes.Contains(type))
        {
            errors.Add(FieldError.NotSupported($"{at}.type", type, ColumnTypes));
        }

        if (Text(column["jsonPath"]).Length == 0)
        {
            errors.Add(FieldError.Required($"{at}.jsonPath"));
        }
    }

    // The structural schema rules: an object at the root, every specified field with a type (unless it preserves
    // unknown fields or is int-or-string), arrays with items, properties and additionalProperties apart, valid patterns.
    private static void CheckSchema(JsonObject schema, string at, bool root, List<FieldError> errors)
    {
        var type = Text(schema["type"]);
        var open = schema["x-kubernetes-preserve-unknown-fields"]?.GetValueKind() == JsonValueKind.True
            || schema["x-kubernetes-int-or-string"]?.GetValueKind() == JsonValueKind.True;
        if (root && type != "object")
        {
            errors.Add(type.Length == 0 ? FieldError.Required($"{at}.type", "must not be empty at the root") : FieldError.Invalid($"{at}.type", type, "must be object at the root"));
        }
        else if (type.Length > 0 && !Types.Contains(type))
        {
            errors.Add(FieldError.NotSupported($"{at}.type", type, Types));
        }
        else if (type.Length == 0 && !open)
        {
            errors.Add(FieldError.Required($"{at}.type", "must not be empty for specified object fields"));
        }

        if (type == "array" && schema["items"] is not JsonObject)
        {
            errors.Add(FieldError.Required($"{at}.items", "must be specified"));
        }

        if (schema["properties"] is JsonObject && schema["additionalProperties"] is JsonObject)
        {
            errors.Add(FieldError.Forbidden($"{at}.additionalProperties", "additionalProperties and properties are mutual exclusive"));
        }

        if (Text(schema["pattern"]) is { Length: > 0 } pattern && !ValidPattern(pattern))
        {
            errors.Add(FieldError.Invalid($"{at}.pattern", pattern, "must be a valid regular expression"));
        }

        foreach (var (name, property) in schema["properties"] as JsonObject ?? [])
        {
            if (property is JsonObject child)
            {
                CheckSchema(child, $"{at}.properties[{name}]", root: false, errors);
            }
        }

        if (schema["items"] is JsonObject items)
        {
            CheckSchema(items, $"{at}.items", root: false, errors);
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            CheckSchema(additional, $"{at}.additionalProperties", root: false, errors);
        }
    }

    private static bool ValidPattern(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Text(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : "";

    private static bool IsLabel1123(string text) => text.Length <= 63 && Label1123Pattern().IsMatch(text);

    private static bool IsLabel1035(string text) => text.Length <= 63 && Label1035Pattern().IsMatch(text);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label1123Pattern();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label1035Pattern();
}
