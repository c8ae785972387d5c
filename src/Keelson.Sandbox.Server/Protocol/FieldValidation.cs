using System.Text.Json;
using System.Text.Json.Nodes;
using Keelson.Sandbox.Server.Resources;
using Keelson.Validation.Schema;
using Microsoft.AspNetCore.Http;

namespace Keelson.Sandbox.Server.Protocol;

/// <summary>
/// <c>fieldValidation</c>: fields a body gives twice, and fields the kind's schema does not have (found with
/// Keelson's own validator), are refused (Strict), reported in <c>Warning: 299</c> headers (Warn) or dropped
/// silently (Ignore). A field given twice keeps its last value, as Go's JSON decoder does.
/// </summary>
internal static class FieldValidation
{
    // The patch is quoted as Go's %q would, with \" rather than \u0022.
    private static readonly JsonSerializerOptions Quoting = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The body without repeated keys, and a <c>duplicate field "path"</c> problem per repeated key. Call it before anything reads
    /// the body: a parsed <see cref="JsonObject"/> with a repeated key throws on first access.
    /// </summary>
    public static (JsonObject Body, IReadOnlyList<string> Duplicates) Deduplicate(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var document = JsonDocument.Parse(body.ToJsonString());
        var duplicates = new List<string>();
        var clean = Rebuild(document.RootElement, "", duplicates)!.AsObject();
        return (clean, duplicates);
    }

    /// <summary>
    /// The problems of a body, as the API server words them: those found while reading it (keys given twice, the
    /// unknown fields of a YAML apply), then the unknown fields of <paramref name="body"/>.
    /// </summary>
    /// <remarks>A custom resource's unknown fields are those its definition's schema prunes.</remarks>
    public static IReadOnlyList<string> Problems(JsonObject body, IReadOnlyList<string> found, ApiResource resource)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(resource);
        var unknown = resource.Custom is { } custom ? CustomResources.CustomObjects.Unknown(body, custom) : UnknownIn(body.ToJsonString());
        return [.. found, .. unknown.Where(u => !found.Contains(u))];
    }

    /// <summary>The unknown fields of one object in JSON or YAML text, worded as the API server words them.</summary>
    public static IReadOnlyList<string> UnknownIn(string text) => [.. UnknownFields.Find(text).Select(u => $"unknown field \"{u}\"")];

    /// <summary>
    /// Applies the directive to the problems of a create or replace: Strict throws the API server's 400
    /// (<c>Kind in version "v1" cannot be handled as a Kind: strict decoding error: ...</c>), Warn adds headers.
    /// </summary>
    public static void Enforce(HttpContext context, FieldValidationDirective directive, IReadOnlyList<string> problems, ApiResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        Enforce(context, directive, problems, () => ApiException.BadRequest(
            $"{resource.Kind} in version \"{resource.Version}\" cannot be handled as a {resource.Kind}: strict decoding error: {string.Join(", ", problems)}"));
    }

    /// <summary>
    /// Applies the directive to the problems of a patch: Strict throws the API server's 422 on the <c>patch</c> field.
    /// </summary>
    public static void EnforcePatch(HttpContext context, FieldValidationDirective directive, IReadOnlyList<string> problems, ResourceTarget target, string patch)
    {
        ArgumentNullException.ThrowIfNull(target);
        Enforce(context, directive, problems, () => ApiException.Invalid(
            Qualified(target.Resource), target.RequiredName, $"patch: Invalid value: {JsonSerializer.Serialize(patch, Quoting)}: strict decoding error: {string.Join(", ", problems)}"));
    }

    /// <summary>The resource as error messages qualify it: <c>deployments.apps</c>, or <c>pods</c> in the core group.</summary>
    public static string Qualified(ApiResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        return resource.Group.Length == 0 ? resource.Plural : $"{resource.Plural}.{resource.Group}";
    }

    /// <summary>Adds one <c>Warning: 299 - "text"</c> header, as the API server does for each warning.</summary>
    public static void Warn(HttpContext context, string text)
    {
        ArgumentNullException.ThrowIfNull(context);
        var quoted = text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
        context.Response.Headers.Append("Warning", $"299 - \"{quoted}\"");
    }

    private static void Enforce(HttpContext context, FieldValidationDirective directive, IReadOnlyList<string> problems, Func<ApiException> strict)
    {
        if (problems.Count == 0 || directive == FieldValidationDirective.Ignore)
        {
            return;
        }

        if (directive == FieldValidationDirective.Strict)
        {
            throw strict();
        }

        foreach (var problem in problems)
        {
            Warn(context, problem);
        }
    }

    private static JsonNode? Rebuild(JsonElement element, string path, List<string> duplicates)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var result = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    var at = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (result.ContainsKey(property.Name))
                    {
                        duplicates.Add($"duplicate field \"{at}\"");
                        result.Remove(property.Name);
                    }

                    result[property.Name] = Rebuild(property.Value, at, duplicates);
                }

                return result;
            case JsonValueKind.Array:
                var items = new JsonArray();
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    items.Add(Rebuild(item, $"{path}[{index++}]", duplicates));
                }

                return items;
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(element.Clone());
        }
    }
}
