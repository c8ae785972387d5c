using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Keelson.Spec.Parsing;

namespace Keelson.Spec.Schema;

/// <summary>Writes a <see cref="Shape"/> tree as a JSON Schema (draft 2020-12) for editors.</summary>
public static class JsonSchemaWriter
{
    /// <summary>The schema document, indented, ending with a newline; byte-identical for the same shapes.</summary>
    public static string Write(ObjectShape root)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "https://json-schema.org/draft/2020-12/schema");
            json.WriteString("$id", "https://keelson.dev/schemas/stack.schema.json");
            json.WriteString("title", "Keelson stack");
            WriteBody(json, root);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()).Replace("\r\n", "\n", StringComparison.Ordinal) + "\n";
    }

    private static void Write(Utf8JsonWriter json, Shape shape)
    {
        json.WriteStartObject();
        WriteBody(json, shape);
        json.WriteEndObject();
    }

    private static void WriteBody(Utf8JsonWriter json, Shape shape)
    {
        json.WriteString("description", shape.Description);
        switch (shape)
        {
            case ObjectShape obj:
                WriteObject(json, obj, obj.Fields, closed: true);
                break;
            case TaggedShape tagged:
                WriteObject(json, new ObjectShape(tagged.Description, tagged.Common), tagged.Common, closed: false);
                json.WriteStartArray("allOf");
                foreach (var (tag, variant) in tagged.Variants.OrderBy(v => v.Key, StringComparer.Ordinal))
                {
                    json.WriteStartObject();
                    json.WriteStartObject("if");
                    json.WriteStartObject("properties");
                    json.WriteStartObject(tagged.Tag);
                    json.WriteString("const", tag);
                    json.WriteEndObject();
                    json.WriteEndObject();
                    json.WriteEndObject();
                    json.WriteStartObject("then");
                    WriteObject(json, variant, [.. tagged.Common, .. variant.Fields], closed: true);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                break;
            case ListShape list:
                json.WriteString("type", "array");
                if (list.MinItems > 0)
                {
                    json.WriteNumber("minItems", list.MinItems);
                }

                json.WritePropertyName("items");
                Write(json, list.Item);
                break;
            case MapShape map:
                json.WriteString("type", "object");
                if (Scalars.Pattern(map.KeyType) is { } keyPattern)
                {
                    json.WriteStartObject("propertyNames");
                    json.WriteString("pattern", keyPattern);
                    json.WriteEndObject();
                }

                json.WritePropertyName("additionalProperties");
                Write(json, map.Value);
                break;
            case ScalarShape scalar:
                WriteScalar(json, scalar);
                break;
            default:
                throw new InvalidOperationException($"Unhandled shape {shape.GetType().Name}.");
        }
    }

    private static void WriteObject(Utf8JsonWriter json, ObjectShape shape, IReadOnlyList<Field> fields, bool closed)
    {
        json.WriteString("type", "object");
        json.WriteStartObject("properties");
        foreach (var field in fields)
        {
            json.WritePropertyName(field.Name);
            Write(json, field.Shape);
        }

        json.WriteEndObject();
        var required = fields.Where(f => f.Required).Select(f => f.Name).ToList();
        if (required.Count > 0)
        {
            json.WriteStartArray("required");
            required.ForEach(json.WriteStringValue);
            json.WriteEndArray();
        }

        if (closed)
        {
            json.WriteBoolean("additionalProperties", false);
        }

        if (shape.Requires.Count > 0)
        {
            json.WriteStartObject("dependentRequired");
            foreach (var group in shape.Requires.GroupBy(r => r.Field))
            {
                json.WriteStartArray(group.Key);
                foreach (var (_, needs) in group)
                {
                    json.WriteStringValue(needs);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        var constraints = shape.Exclusive.Count + shape.AnyOf.Count;
        if (constraints == 0)
        {
            return;
        }

        json.WriteStartArray("allOf");
        foreach (var (a, b) in shape.Exclusive)
        {
            json.WriteStartObject();
            json.WriteStartObject("not");
            json.WriteStartArray("required");
            json.WriteStringValue(a);
            json.WriteStringValue(b);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        foreach (var group in shape.AnyOf)
        {
            json.WriteStartObject();
            json.WriteStartArray("anyOf");
            foreach (var name in group)
            {
                json.WriteStartObject();
                json.WriteStartArray("required");
                json.WriteStringValue(name);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteScalar(Utf8JsonWriter json, ScalarShape scalar)
    {
        switch (scalar.Type)
        {
            case ScalarType.WholeNumber:
                json.WriteString("type", "integer");
                break;
            case ScalarType.Number:
                json.WriteString("type", "number");
                break;
            case ScalarType.Boolean:
                json.WriteString("type", "boolean");
                break;
            case ScalarType.Cpu or ScalarType.Percent:
                // YAML writes `cpu: 2` and `availability: 99.9` as numbers; both forms are accepted.
                json.WriteStartArray("type");
                json.WriteStringValue("string");
                json.WriteStringValue("number");
                json.WriteEndArray();
                break;
            default:
                json.WriteString("type", "string");
                break;
        }

        if (scalar.Enum is { } values)
        {
            json.WriteStartArray("enum");
            foreach (var v in values)
            {
                json.WriteStringValue(v);
            }

            json.WriteEndArray();
        }
        else if (Scalars.Pattern(scalar.Type) is { } pattern)
        {
            json.WriteString("pattern", pattern);
        }

        if (scalar.Type is ScalarType.WholeNumber or ScalarType.Number or ScalarType.Percent)
        {
            if (scalar.Minimum is { } min)
            {
                json.WriteNumber("minimum", min);
            }

            if (scalar.Maximum is { } max)
            {
                json.WriteNumber("maximum", max);
            }
        }
    }
}
