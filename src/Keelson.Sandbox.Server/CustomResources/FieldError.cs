using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keelson.Sandbox.Server.CustomResources;

/// <summary>
/// One field error as the API server's <c>field.Error</c> words it: <c>spec.replicas: Invalid value: "string": detail</c>.
/// <see cref="Body"/> is the text after the field, which is a Status cause's message.
/// </summary>
/// <param name="Field">The field path, e.g. <c>spec.replicas</c> or <c>spec.items[0].name</c>.</param>
/// <param name="Reason">The cause reason (<c>FieldValueInvalid</c>, <c>FieldValueRequired</c>...).</param>
/// <param name="Body">The error without the field: <c>Invalid value: "x": detail</c>.</param>
public sealed record FieldError(string Field, string Reason, string Body)
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>field: body</c>.</summary>
    public override string ToString() => Field.Length == 0 ? Body : $"{Field}: {Body}";

    /// <summary><c>Required value</c>, with an optional detail.</summary>
    public static FieldError Required(string field, string detail = "") =>
        new(field, "FieldValueRequired", detail.Length == 0 ? "Required value" : $"Required value: {detail}");

    /// <summary><c>Invalid value: V: detail</c>.</summary>
    public static FieldError Invalid(string field, JsonNode? value, string detail) =>
        new(field, "FieldValueInvalid", $"Invalid value: {Value(value)}: {detail}");

    /// <summary>A value of the wrong JSON type; the value shown is the type found, as the API server shows it.</summary>
    public static FieldError TypeInvalid(string field, string actualType, string detail) =>
        new(field, "FieldValueTypeInvalid", $"Invalid value: {Value(actualType)}: {detail}");

    /// <summary><c>Unsupported value: V: supported values: "a", "b"</c>.</summary>
    public static FieldError NotSupported(string field, JsonNode? value, IEnumerable<string> supported) =>
        new(field, "FieldValueNotSupported", $"Unsupported value: {Value(value)}: supported values: {string.Join(", ", supported.Select(s => Quote(s)))}");

    /// <summary><c>Too long: may not be more than N bytes</c>.</summary>
    public static FieldError TooLong(string field, long max) =>
        new(field, "FieldValueTooLong", $"Too long: may not be more than {max} {(max == 1 ? "byte" : "bytes")}");

    /// <summary><c>Too many: N: must have at most M items</c>.</summary>
    public static FieldError TooMany(string field, int actual, long max) =>
        new(field, "FieldValueTooMany", $"Too many: {actual}: must have at most {max} items");

    /// <summary><c>Duplicate value: V</c>.</summary>
    public static FieldError Duplicate(string field, JsonNode? value) => new(field, "FieldValueDuplicate", $"Duplicate value: {Value(value)}");

    /// <summary><c>Forbidden: detail</c>.</summary>
    public static FieldError Forbidden(string field, string detail) => new(field, "FieldValueForbidden", $"Forbidden: {detail}");

    /// <summary>A value as Go's field errors print it: strings quoted, numbers and booleans plain, anything else as JSON.</summary>
    public static string Value(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => Quote(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
        JsonValue v => v.ToJsonString(),
        _ => value.ToJsonString(),
    };

    /// <summary>Go's <c>%q</c> of a string (close enough: JSON string escapes).</summary>
    public static string Quote(string text) => JsonSerializer.Serialize(text, Relaxed);

    /// <summary>A number as Go's <c>%v</c> prints a float64.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
