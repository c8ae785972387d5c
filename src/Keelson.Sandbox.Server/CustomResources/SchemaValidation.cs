using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Keelson.Sandbox.Server.CustomResources;

/// <summary>
/// A custom object against its definition's structural OpenAPI v3 schema, in the API extensions server's order:
/// unknown fields pruned (<see cref="Prune"/>), defaults filled in (<see cref="Default"/>), then the value checks
/// (<see cref="Validate"/>): type, <c>enum</c>, <c>required</c>, string length and <c>pattern</c>, numeric bounds,
/// item counts, nested <c>properties</c>, <c>items</c> and <c>additionalProperties</c>, worded as kube-openapi's
/// validator and the API server's field errors word them (<c>spec.replicas in body must be of type integer: "string"</c>).
/// <c>x-kubernetes-preserve-unknown-fields</c> keeps what the schema does not name; <c>x-kubernetes-int-or-string</c>
/// takes either; <c>x-kubernetes-embedded-resource</c> keeps apiVersion, kind and metadata.
/// </summary>
public static class SchemaValidation
{
    private static readonly string[] RootFields = ["apiVersion", "kind", "metadata"];

    /// <summary>
    /// Removes the fields <paramref name="schema"/> does not allow from <paramref name="root"/> (a whole object:
    /// apiVersion, kind and metadata are the server's) and returns their paths, e.g. <c>spec.replicaz</c>.
    /// </summary>
    public static IReadOnlyList<string> Prune(JsonObject root, JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(schema);
        var pruned = new List<string>();
        PruneObject(root, schema, "", pruned, RootFields);
        return pruned;
    }

    /// <summary>Fills in the <c>default</c> of every property the object leaves out, where its parent object is present.</summary>
    public static void Default(JsonNode? node, JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        switch (node)
        {
            case JsonObject obj:
                if (schema["properties"] is JsonObject properties)
                {
                    foreach (var (name, property) in properties)
                    {
                        if (property is JsonObject propertySchema && !obj.ContainsKey(name) && propertySchema["default"] is { } value)
                        {
                            obj[name] = value.DeepClone();
                        }
                    }

                    foreach (var (name, value) in obj.ToList())
                    {
                        if (properties[name] is JsonObject propertySchema)
                        {
                            Default(value, propertySchema);
                        }
                    }
                }
                else if (schema["additionalProperties"] is JsonObject additional)
                {
                    foreach (var (_, value) in obj.ToList())
                    {
                        Default(value, additional);
                    }
                }

                break;
            case JsonArray array when schema["items"] is JsonObject items:
                foreach (var item in array)
                {
                    Default(item, items);
                }

                break;
        }
    }

    /// <summary>The value errors of <paramref name="root"/> against <paramref name="schema"/>, in document order.</summary>
    public static IReadOnlyList<FieldError> Validate(JsonObject root, JsonObject schema)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(schema);
        var errors = new List<FieldError>();
        Check(root, schema, "", errors, isRoot: true);
        return errors;
    }

    /// <summary>The JSON type of a value as the validator names it: <c>integer</c> for whole numbers, else <c>number</c>.</summary>
    public static string TypeOf(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => value.TryGetValue<long>(out _) ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    private static void PruneObject(JsonObject obj, JsonObject schema, string path, List<string> pruned, IReadOnlyList<string> kept)
    {
        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValueKind() == JsonValueKind.True;
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"];
        foreach (var (name, value) in obj.ToList())
        {
            var at = Child(path, name);
            if (kept.Contains(name))
            {
                continue;
            }

            if (properties?[name] is JsonObject property)
            {
                PruneValue(value, property, at, pruned);
            }
            else if (additional is JsonObject additionalSchema)
            {
                PruneValue(value, additionalSchema, at, pruned);
            }
            else if (!preserve && additional?.GetValueKind() != JsonValueKind.True)
            {
                obj.Remove(name);
                pruned.Add(at);
            }
        }
    }

    private static void PruneValue(JsonNode? value, JsonObject schema, string path, List<string> pruned)
    {
        switch (value)
        {
            case JsonObject obj when schema["type"]?.ToString() is "object" or null:
                var embedded = schema["x-kubernetes-embedded-resource"]?.GetValueKind() == JsonValueKind.True;
                PruneObject(obj, schema, path, pruned, embedded ? RootFields : []);
                break;
            case JsonArray array when schema["items"] is JsonObject items:
                for (var i = 0; i < array.Count; i++)
                {
                    PruneValue(array[i], items, $"{path}[{i}]", pruned);
                }

                break;
        }
    }

    private static void Check(JsonNode? node, JsonObject schema, string path, List<FieldError> errors, bool isRoot = false)
    {
        var name = path.Length == 0 ? "body" : path;
        var actual = TypeOf(node);
        var type = schema["type"]?.ToString() ?? "";
        if (node is null)
        {
            if (schema["nullable"]?.GetValueKind() != JsonValueKind.True && type.Length > 0)
            {
                errors.Add(FieldError.TypeInvalid(path, "null", $"{name} in body must be of type {type}: \"null\""));
            }

            return;
        }

        if (schema["x-kubernetes-int-or-string"]?.GetValueKind() == JsonValueKind.True)
        {
            if (actual is not ("integer" or "string"))
            {
                errors.Add(FieldError.TypeInvalid(path, actual, $"{name} in body must be of type integer,string: \"{actual}\""));
                return;
            }
        }
        else if (type.Length > 0 && type != actual && !(type == "number" && actual == "integer"))
        {
            errors.Add(FieldError.TypeInvalid(path, actual, $"{name} in body must be of type {type}: \"{actual}\""));
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, node)))
        {
            errors.Add(FieldError.NotSupported(path, node, allowed.Select(a => a is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : a?.ToJsonString() ?? "null")));
        }

        switch (node)
        {
            case JsonValue value when actual == "string":
                CheckString(value.GetValue<string>(), schema, path, name, errors);
                break;
            case JsonValue value when actual is "integer" or "number":
                CheckNumber(value, schema, path, name, errors);
                break;
            case JsonArray array:
                CheckArray(array, schema, path, name, errors);
                break;
            case JsonObject obj:
                CheckObject(obj, schema, path, errors, isRoot);
                break;
        }
    }

    private static void CheckString(string text, JsonObject schema, string path, string name, List<FieldError> errors)
    {
        var length = new System.Globalization.StringInfo(text).LengthInTextElements;
        if (Long(schema["maxLength"]) is { } max && length > max)
        {
            errors.Add(FieldError.TooLong(path, max));
        }

        if (Long(schema["minLength"]) is { } min && length < min)
        {
            errors.Add(FieldError.Invalid(path, text, $"{name} in body should be at least {min} chars long"));
        }

        if (schema["pattern"]?.ToString() is { Length: > 0 } pattern && !Matches(text, pattern))
        {
            errors.Add(FieldError.Invalid(path, text, $"{name} in body should match '{pattern}'"));
        }
    }

    private static void CheckNumber(JsonValue value, JsonObject schema, string path, string name, List<FieldError> errors)
    {
        var number = value.GetValue<double>();
        if (Double(schema["minimum"]) is { } min)
        {
            var exclusive = schema["exclusiveMinimum"]?.GetValueKind() == JsonValueKind.True;
            if (exclusive ? number <= min : number < min)
            {
                errors.Add(FieldError.Invalid(path, value, $"{name} in body should be greater than {(exclusive ? "" : "or equal to ")}{FieldError.Number(min)}"));
            }
        }

        if (Double(schema["maximum"]) is { } max)
        {
            var exclusive = schema["exclusiveMaximum"]?.GetValueKind() == JsonValueKind.True;
            if (exclusive ? number >= max : number > max)
            {
                errors.Add(FieldError.Invalid(path, value, $"{name} in body should be less than {(exclusive ? "" : "or equal to ")}{FieldError.Number(max)}"));
            }
        }

        if (Double(schema["multipleOf"]) is { } factor && factor > 0 && Math.Abs(Math.IEEERemainder(number, factor)) > 1e-9)
        {
            errors.Add(FieldError.Invalid(path, value, $"{name} in body should be a multiple of {FieldError.Number(factor)}"));
        }
    }

    private static void CheckArray(JsonArray array, JsonObject schema, string path, string name, List<FieldError> errors)
    {
        if (Long(schema["maxItems"]) is { } max && array.Count > max)
        {
            errors.Add(FieldError.TooMany(path, array.Count, max));
        }

        if (Long(schema["minItems"]) is { } min && array.Count < min)
        {
            errors.Add(FieldError.Invalid(path, array.Count, $"{name} in body should have at least {min} items"));
        }

        if (schema["uniqueItems"]?.GetValueKind() == JsonValueKind.True)
        {
            for (var i = 1; i < array.Count; i++)
            {
                if (array.Take(i).Any(earlier => JsonNode.DeepEquals(earlier, array[i])))
                {
                    errors.Add(FieldError.Duplicate($"{path}[{i}]", array[i]));
                }
            }
        }

        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Check(array[i], items, $"{path}[{i}]", errors);
            }
        }
    }

    private static void CheckObject(JsonObject obj, JsonObject schema, string path, List<FieldError> errors, bool isRoot)
    {
        foreach (var required in (schema["required"] as JsonArray ?? []).Select(r => r?.ToString()).OfType<string>())
        {
            if (!obj.ContainsKey(required))
            {
                errors.Add(FieldError.Required(Child(path, required)));
            }
        }

        var properties = schema["properties"] as JsonObject;
        foreach (var (name, value) in obj)
        {
            if (isRoot && RootFields.Contains(name))
            {
                continue;
            }

            if (properties?[name] is JsonObject property)
            {
                Check(value, property, Child(path, name), errors);
            }
            else if (schema["additionalProperties"] is JsonObject additional)
            {
                Check(value, additional, Child(path, name), errors);
            }
        }
    }

    private static bool Matches(string text, string pattern)
    {
        try
        {
            return Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            // The definition's checks refuse such patterns; one that slipped through matches nothing.
            return false;
        }
    }

    private static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static long? Long(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? (long)d : null;

    private static double? Double(JsonNode? node) => node is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;
}
