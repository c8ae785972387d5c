using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.Protocol;

/// <summary>A request the API refuses, carried to the response as a <c>v1 Status</c> with the API server's code and reason.</summary>
public sealed class ApiException(int code, string reason, string message, string? name = null, string? resource = null) : Exception(message)
{
    /// <summary>HTTP status code.</summary>
    public int Code { get; } = code;

    /// <summary>The Status reason kubectl matches on (<c>NotFound</c>, <c>AlreadyExists</c>…).</summary>
    public string Reason { get; } = reason;

    /// <summary>The object's name, when the error is about one.</summary>
    public string? Name { get; } = name;

    /// <summary>The resource (plural), when the error is about one.</summary>
    public string? Resource { get; } = resource;

    /// <summary>The API group of the object, for the Status details.</summary>
    public string? Group { get; init; }

    /// <summary>The field-level causes (<c>details.causes</c>), which kubectl prints for Invalid errors.</summary>
    public JsonArray? Causes { get; init; }

    /// <summary>404: the object does not exist.</summary>
    public static ApiException NotFound(string resource, string name) => new(404, "NotFound", $"{resource} \"{name}\" not found", name, resource);

    /// <summary>404: no such resource or path.</summary>
    public static ApiException NoResource(string path) => new(404, "NotFound", $"the server could not find the requested resource ({path})");

    /// <summary>409: creating an object that exists.</summary>
    public static ApiException AlreadyExists(string resource, string name) => new(409, "AlreadyExists", $"{resource} \"{name}\" already exists", name, resource);

    /// <summary>409: an update against a stale resourceVersion.</summary>
    public static ApiException Conflict(string resource, string name) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {resource} \"{name}\": the object has been modified; please apply your changes to the latest version and try again", name, resource);

    /// <summary>422: the object is not acceptable.</summary>
    public static ApiException Invalid(string resource, string name, string message)
    {
        // "field: detail" becomes one cause, as the API server's field errors are: kubectl prints causes, not the message.
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        var cause = new JsonObject
        {
            ["reason"] = "FieldValueInvalid",
            ["message"] = colon > 0 ? message[(colon + 2)..] : message,
            ["field"] = colon > 0 ? message[..colon] : "",
        };
        return new(422, "Invalid", $"{resource} \"{name}\" is invalid: {message}", name, resource) { Causes = [cause] };
    }

    /// <summary>
    /// 422: the object is not acceptable, one cause per field error; the message is the API server's
    /// (<c>Kind.group "name" is invalid: field: ...</c>, several errors in brackets).
    /// </summary>
    public static ApiException Invalid(string group, string kind, string name, IReadOnlyList<CustomResources.FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var text = errors.Count == 1 ? errors[0].ToString() : $"[{string.Join(", ", errors)}]";
        var qualified = group.Length == 0 ? kind : $"{kind}.{group}";
        return new(422, "Invalid", $"{qualified} \"{name}\" is invalid: {text}", name, kind)
        {
            Group = group,
            Causes = [.. errors.Select(e => (JsonNode)new JsonObject { ["reason"] = e.Reason, ["message"] = e.Body, ["field"] = e.Field })],
        };
    }

    /// <summary>400: the request cannot be read.</summary>
    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>405: the verb is not served on this path.</summary>
    public static ApiException MethodNotAllowed(string method, string path) => new(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource ({method} {path})");

    /// <summary>415: a body in a format the server does not read (protobuf, CBOR, JSON patch).</summary>
    public static ApiException UnsupportedMediaType(string contentType) => new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json, application/vnd.kubernetes.protobuf, application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got {contentType})");

    /// <summary>The Status object the API server would send.</summary>
    public JsonObject ToStatus()
    {
        var details = Details(Name, Resource, Group);
        if (Causes is not null)
        {
            details ??= [];
            details["causes"] = Causes.DeepClone();
        }

        return Status("Failure", Code, Reason, Message, details);
    }

    /// <summary>
    /// A <c>v1 Status</c>; built as JSON because KubernetesClient's <c>V1Status</c> converter only reads.
    /// </summary>
    public static JsonObject Status(string status, int code, string? reason, string? message, JsonObject? details) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = status,
        ["message"] = message,
        ["reason"] = reason,
        ["details"] = details,
        ["code"] = code,
    };

    /// <summary>The details of a Status about one object.</summary>
    public static JsonObject? Details(string? name, string? resource, string? group = null, string? uid = null) =>
        name is null && resource is null ? null : new JsonObject { ["name"] = name, ["group"] = group, ["kind"] = resource, ["uid"] = uid };
}
