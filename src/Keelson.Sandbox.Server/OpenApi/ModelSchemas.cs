using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using k8s.Models;
using Keelson.Sandbox.Server.Patching;

namespace Keelson.Sandbox.Server.OpenApi;

/// <summary>
/// OpenAPI schemas of KubernetesClient model types (the vocabulary the validator walks), with the API's field
/// descriptions and the patch-merge keys kubectl reads for strategic merge patches. Each model type becomes one named
/// schema; the fields that hold another model refer to it, as the API server's documents do.
/// </summary>
internal sealed partial class ModelSchemas(string refPrefix, bool wrapReferences)
{
    private readonly Dictionary<string, JsonObject> _schemas = new(StringComparer.Ordinal);

    /// <summary>The named schemas collected so far.</summary>
    public IReadOnlyDictionary<string, JsonObject> Schemas => _schemas;

    /// <summary>A schema for OpenAPI v3 documents (<c>#/components/schemas/</c>, references wrapped in allOf beside a description).</summary>
    public static ModelSchemas V3() => new("#/components/schemas/", wrapReferences: true);

    /// <summary>A schema for Swagger 2.0 documents (<c>#/definitions/</c>, plain references).</summary>
    public static ModelSchemas V2() => new("#/definitions/", wrapReferences: false);

    /// <summary>The name of a model type's schema: <c>io.k8s.api.v1.DeploymentSpec</c> for <c>V1DeploymentSpec</c>.</summary>
    public static string NameOf(Type model) => VersionPrefix().Match(model.Name) is { Success: true } match
        ? $"io.k8s.api.{match.Groups[1].Value.ToLowerInvariant()}.{model.Name[match.Length..]}"
        : $"io.k8s.api.{model.Name}";

    /// <summary>Adds a kind's model and everything it reaches; the kind's schema carries its group, version and kind.</summary>
    public string AddKind(Type model, string group, string version, string kind)
    {
        var name = Add(model);
        _schemas[name]["x-kubernetes-group-version-kind"] = new JsonArray(new JsonObject { ["group"] = group, ["kind"] = kind, ["version"] = version });
        return name;
    }

    /// <summary>A reference to a model's schema (added with everything it reaches), as a field holding it is written.</summary>
    public JsonObject ReferenceTo(Type model) => Reference(Add(model), null);

    /// <summary>Adds a schema written elsewhere (a custom resource's) under a name.</summary>
    public void AddNamed(string name, JsonObject schema) => _schemas[name] = schema;

    private string Add(Type model)
    {
        var name = NameOf(model);
        if (_schemas.ContainsKey(name))
        {
            return name;
        }

        var schema = new JsonObject { ["type"] = "object" };
        _schemas[name] = schema;
        if (ModelDocs.OfType(model) is { } description)
        {
            schema["description"] = description;
        }

        var properties = new JsonObject();
        foreach (var property in model.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name is not { } field)
            {
                continue;
            }

            var value = Field(property.PropertyType, field);
            if (ModelDocs.OfProperty(model, property.Name) is { } text)
            {
                value["description"] = text;
            }

            properties[field] = value;
        }

        schema["properties"] = properties;
        return name;
    }

    private JsonObject Field(Type type, string field)
    {
        var schema = Of(type);
        if (schema["type"]?.GetValue<string>() == "array" && ListItem(Plain(type)) is { } item)
        {
            var mergeKey = field == "ports" ? (item == typeof(V1ContainerPort) ? "containerPort" : item == typeof(V1ServicePort) ? "port" : null)
                : StrategicMergePatch.MergeKeys.GetValueOrDefault(field);
            if (mergeKey is not null)
            {
                schema["x-kubernetes-patch-merge-key"] = mergeKey;
                schema["x-kubernetes-patch-strategy"] = "merge";
            }
        }

        return schema;
    }

    private JsonObject Of(Type type)
    {
        var plain = Plain(type);
        if (plain == typeof(string))
        {
            return new JsonObject { ["type"] = "string" };
        }

        if (plain == typeof(bool))
        {
            return new JsonObject { ["type"] = "boolean" };
        }

        if (plain == typeof(int) || plain == typeof(long))
        {
            return new JsonObject { ["type"] = "integer", ["format"] = plain == typeof(int) ? "int32" : "int64" };
        }

        if (plain == typeof(double) || plain == typeof(float))
        {
            return new JsonObject { ["type"] = "number", ["format"] = "double" };
        }

        if (plain == typeof(DateTime))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "date-time" };
        }

        if (plain == typeof(byte[]))
        {
            return new JsonObject { ["type"] = "string", ["format"] = "byte" };
        }

        if (plain == typeof(ResourceQuantity))
        {
            return Reference("io.k8s.apimachinery.pkg.api.resource.Quantity", () => new JsonObject
            {
                ["description"] = "Quantity is a fixed-point representation of a number, such as 250m or 2Gi.",
                ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "string" }, new JsonObject { ["type"] = "number" }),
            });
        }

        if (plain == typeof(IntOrString))
        {
            return Reference("io.k8s.apimachinery.pkg.util.intstr.IntOrString", () => new JsonObject
            {
                ["description"] = "IntOrString is a type that can hold an int32 or a string.",
                ["type"] = "string",
                ["format"] = "int-or-string",
                ["x-kubernetes-int-or-string"] = true,
            });
        }

        if (DictionaryValue(plain) is { } value)
        {
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = Of(value) };
        }

        if (ListItem(plain) is { } item)
        {
            return new JsonObject { ["type"] = "array", ["items"] = Of(item) };
        }

        if (plain.Namespace == typeof(V1Pod).Namespace && plain.IsClass)
        {
            return Reference(Add(plain), null);
        }

        // object, JsonElement: anything, as the API's RawExtension and JSON fields.
        return new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
    }

    private JsonObject Reference(string name, Func<JsonObject>? define)
    {
        if (define is not null && !_schemas.ContainsKey(name))
        {
            _schemas[name] = define();
        }

        var reference = new JsonObject { ["$ref"] = refPrefix + name };
        return wrapReferences ? new JsonObject { ["allOf"] = new JsonArray(reference) } : reference;
    }

    private static Type Plain(Type type) => Nullable.GetUnderlyingType(type) ?? type;

    private static Type? DictionaryValue(Type type) =>
        type.IsGenericType && type.GetGenericArguments() is [var key, var value] && key == typeof(string)
            && type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>))
            ? value
            : null;

    private static Type? ListItem(Type type) =>
        type != typeof(string) && type.IsGenericType && type.GetGenericArguments() is [var item] && typeof(IEnumerable).IsAssignableFrom(type)
            ? item
            : null;

    // V1, V2beta1, Corev1, Eventsv1 ...: the generator's version (and group) prefix of a model name.
    [GeneratedRegex(@"^((?:[A-Z][a-z]+)?[Vv]\d+(?:alpha\d+|beta\d+)?)(?=[A-Z])")]
    private static partial Regex VersionPrefix();
}
