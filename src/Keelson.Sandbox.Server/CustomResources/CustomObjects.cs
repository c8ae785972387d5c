using System.Text.Json.Nodes;
using Keelson.Sandbox.Server.Protocol;
using Keelson.Sandbox.Server.Resources;

namespace Keelson.Sandbox.Server.CustomResources;

/// <summary>
/// Admission of custom objects: what the body has that the schema does not is pruned (reported beforehand by
/// <see cref="Unknown"/>, for <c>fieldValidation</c>), defaults filled in, and the result checked against the schema:
/// errors are one 422 Invalid, <c>Kind.group "name" is invalid: field: ...</c>, with a cause per field.
/// </summary>
internal static class CustomObjects
{
    /// <summary>The fields of <paramref name="body"/> the resource's schema would prune, as <c>unknown field "spec.x"</c>.</summary>
    public static IReadOnlyList<string> Unknown(JsonObject body, CustomResource custom) =>
        [.. SchemaValidation.Prune((JsonObject)body.DeepClone(), custom.Schema).Select(p => $"unknown field \"{p}\"")];

    /// <summary>Prunes, defaults and validates <paramref name="body"/> in place; invalid objects are a 422.</summary>
    public static void Admit(JsonObject body, ApiResource resource, CustomResource custom)
    {
        SchemaValidation.Prune(body, custom.Schema);
        SchemaValidation.Default(body, custom.Schema);
        var errors = SchemaValidation.Validate(body, custom.Schema);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(resource.Group, resource.Kind, (string?)body["metadata"]?["name"] ?? "", errors);
        }
    }
}
