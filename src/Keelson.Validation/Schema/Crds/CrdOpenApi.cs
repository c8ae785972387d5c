using System.Text.Json.Nodes;

namespace Keelson.Validation.Schema.Crds;

/// <summary>
/// The custom resource schemas Keelson checks, written as the structural OpenAPI v3 schema a CRD carries, so a server
/// can publish them (for <c>kubectl explain</c>) from the same source the validator reads.
/// </summary>
public static class CrdOpenApi
{
    /// <summary>The OpenAPI v3 schema of an apiVersion and kind Keelson checks, or null when it has none.</summary>
    public static JsonObject? Schema(string apiVersion, string kind) =>
        CrdSchemas.Find(apiVersion, kind) is { } shape ? Convert(shape, []) : null;

    private static JsonObject Convert(Shape shape, HashSet<Shape> open)
    {
        switch (shape.Kind)
        {
            case ShapeKind.String or ShapeKind.Scalar or ShapeKind.Duration:
                var text = new JsonObject { ["type"] = "string" };
                if (shape.Allowed is { } allowed)
                {
                    text["enum"] = new JsonArray([.. allowed.Select(a => (JsonNode)a)]);
                }

                return text;
            case ShapeKind.Integer:
                return new JsonObject { ["type"] = "integer" };
            case ShapeKind.Number:
                return new JsonObject { ["type"] = "number" };
            case ShapeKind.Boolean:
                return new JsonObject { ["type"] = "boolean" };
            case ShapeKind.IntOrString or ShapeKind.Quantity:
                return new JsonObject
                {
                    ["anyOf"] = new JsonArray(new JsonObject { ["type"] = "integer" }, new JsonObject { ["type"] = "string" }),
                    ["x-kubernetes-int-or-string"] = true,
                };
            case ShapeKind.List:
                return new JsonObject { ["type"] = "array", ["items"] = Convert(shape.Item!, open) };
            case ShapeKind.Map:
                return new JsonObject { ["type"] = "object", ["additionalProperties"] = Convert(shape.Item!, open) };
            case ShapeKind.Object when open.Add(shape):
                var properties = new JsonObject();
                foreach (var name in shape.FieldNames)
                {
                    properties[name] = Convert(shape.Fields[name], open);
                }

                open.Remove(shape);
                var result = new JsonObject { ["type"] = "object", ["properties"] = properties };
                if (shape.Required.Count > 0)
                {
                    result["required"] = new JsonArray([.. shape.Required.Select(r => (JsonNode)r)]);
                }

                return result;
            default:
                // Anything, or a model that contains itself: left open, as CRDs mark such fields.
                return new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        }
    }
}
