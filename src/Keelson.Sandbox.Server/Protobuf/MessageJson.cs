using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace Keelson.Sandbox.Server.Protobuf;

/// <summary>
/// Converts a generated Kubernetes message to Kubernetes JSON and back by walking its descriptor; field names and
/// inlined structs as <see cref="JsonLayout"/> says.
/// </summary>
internal static class MessageJson
{
    /// <summary>The message as the JSON object Kubernetes writes for it (without apiVersion and kind).</summary>
    public static JsonObject ToJson(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return (JsonObject)ToNode(message)!;
    }

    /// <summary>
    /// Reads a JSON object into a new message of <paramref name="descriptor"/>. apiVersion and kind are skipped (the
    /// envelope carries them); other properties the schema lacks are refused when <paramref name="rejectUnknown"/>,
    /// dropped otherwise.
    /// </summary>
    public static IMessage ToMessage(JsonObject json, MessageDescriptor descriptor, bool rejectUnknown)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(descriptor);
        return FromObject(json, descriptor, "", rejectUnknown, topLevel: true);
    }

    private static JsonNode? ToNode(IMessage message)
    {
        if (SpecialTypes.For(message.Descriptor) is { } special)
        {
            return special.ToJson(message);
        }

        var json = new JsonObject();
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            var value = field.Accessor.GetValue(message);
            JsonNode? node;
            if (field.IsMap)
            {
                var map = (IDictionary)value;
                var valueField = field.MessageType.FindFieldByNumber(2);
                node = map.Count == 0 ? null
                    : new JsonObject(map.Keys.Cast<object>().Order().Select(k => KeyValuePair.Create(Convert.ToString(k, CultureInfo.InvariantCulture)!, ValueToNode(valueField, map[k]!))));
            }
            else if (field.IsRepeated)
            {
                var list = (IList)value;
                node = list.Count == 0 ? null : new JsonArray([.. list.Cast<object>().Select(v => ValueToNode(field, v))]);
            }
            else
            {
                // Go omits most empty strings (omitempty); the wire cannot tell the few it writes as "" from unset ones.
                node = !field.Accessor.HasValue(message) || value is "" ? null : ValueToNode(field, value);
            }

            if (node is JsonObject inlined && JsonLayout.Of(message.Descriptor).Inline.Contains(field))
            {
                foreach (var (name, inner) in inlined.ToList())
                {
                    inlined.Remove(name);
                    json[name] = inner;
                }
            }
            else if (node is not null)
            {
                json[JsonLayout.JsonName(field)] = node;
            }
        }

        return json;
    }

    private static JsonNode? ValueToNode(FieldDescriptor field, object value) => value switch
    {
        IMessage message => ToNode(message),
        ByteString bytes => Convert.ToBase64String(bytes.Span),
        string text => text,
        bool flag => flag,
        int number => number,
        long number => number,
        uint number => number,
        ulong number => number,
        double number => number,
        float number => number,
        _ => throw new KubernetesProtobufFormatException($"{field.FullName}: unsupported value {value.GetType().Name}"),
    };

    private static IMessage FromObject(JsonObject json, MessageDescriptor descriptor, string path, bool rejectUnknown, bool topLevel = false)
    {
        var message = (IMessage)Activator.CreateInstance(descriptor.ClrType)!;
        var layout = JsonLayout.Of(descriptor);
        foreach (var (name, node) in json)
        {
            var fieldPath = path.Length == 0 ? name : $"{path}.{name}";
            if (!layout.Direct.TryGetValue(name, out var field))
            {
                // apiVersion and kind are Go's inlined TypeMeta, which no message carries: the envelope has the top
                // level's, and an embedded object's (a StatefulSet's volumeClaimTemplates) are dropped, as in Go.
                var typeMeta = name is "apiVersion" or "kind" && (topLevel || layout.Direct.ContainsKey("metadata"));
                if (rejectUnknown && !layout.Has(name) && !typeMeta)
                {
                    throw new KubernetesProtobufFormatException($"{fieldPath}: {descriptor.Name} has no such field");
                }

                continue;
            }

            if (node is not null)
            {
                SetField(message, field, node, fieldPath, rejectUnknown);
            }
        }

        // An embedded struct reads the parent's properties that are its own.
        foreach (var inline in layout.Inline)
        {
            var inner = JsonLayout.Of(inline.MessageType);
            var own = new JsonObject(json.Where(p => inner.Has(p.Key)).Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone())));
            if (own.Count > 0)
            {
                inline.Accessor.SetValue(message, FromObject(own, inline.MessageType, path, rejectUnknown));
            }
        }

        return message;
    }

    private static void SetField(IMessage message, FieldDescriptor field, JsonNode node, string fieldPath, bool rejectUnknown)
    {
        if (field.IsMap)
        {
            var map = (IDictionary)field.Accessor.GetValue(message);
            var keyField = field.MessageType.FindFieldByNumber(1);
            var valueField = field.MessageType.FindFieldByNumber(2);
            foreach (var (key, item) in node as JsonObject ?? throw SpecialTypes.Wrong(fieldPath, "an object", node))
            {
                map[FromScalar(keyField, JsonValue.Create(key), fieldPath)] = FromNode(valueField, item, $"{fieldPath}[{key}]", rejectUnknown);
            }
        }
        else if (field.IsRepeated)
        {
            var list = (IList)field.Accessor.GetValue(message);
            var index = 0;
            foreach (var item in node as JsonArray ?? throw SpecialTypes.Wrong(fieldPath, "an array", node))
            {
                list.Add(FromNode(field, item, $"{fieldPath}[{index++}]", rejectUnknown));
            }
        }
        else
        {
            field.Accessor.SetValue(message, FromNode(field, node, fieldPath, rejectUnknown));
        }
    }

    private static object FromNode(FieldDescriptor field, JsonNode? node, string path, bool rejectUnknown)
    {
        if (node is null)
        {
            throw SpecialTypes.Wrong(path, "a value", node);
        }

        if (field.FieldType != FieldType.Message)
        {
            return FromScalar(field, node, path);
        }

        if (SpecialTypes.For(field.MessageType) is { } special)
        {
            return special.FromJson(node, path);
        }

        return FromObject(node as JsonObject ?? throw SpecialTypes.Wrong(path, "an object", node), field.MessageType, path, rejectUnknown);
    }

    private static object FromScalar(FieldDescriptor field, JsonNode node, string path)
    {
        var kind = node.GetValueKind();
        var text = kind == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
        var invariant = CultureInfo.InvariantCulture;
        return field.FieldType switch
        {
            FieldType.String when kind == JsonValueKind.String => text,
            FieldType.Bytes when kind == JsonValueKind.String => Base64(text, path),
            FieldType.Bool when kind is JsonValueKind.True or JsonValueKind.False => kind == JsonValueKind.True,
            FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 when kind == JsonValueKind.Number && int.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var i) => i,
            FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 when kind == JsonValueKind.Number && long.TryParse(text, NumberStyles.AllowLeadingSign, invariant, out var l) => l,
            FieldType.UInt32 or FieldType.Fixed32 when kind == JsonValueKind.Number && uint.TryParse(text, NumberStyles.None, invariant, out var u) => u,
            FieldType.UInt64 or FieldType.Fixed64 when kind == JsonValueKind.Number && ulong.TryParse(text, NumberStyles.None, invariant, out var ul) => ul,
            FieldType.Double when kind == JsonValueKind.Number => double.Parse(text, NumberStyles.Float, invariant),
            FieldType.Float when kind == JsonValueKind.Number => float.Parse(text, NumberStyles.Float, invariant),
            _ => throw SpecialTypes.Wrong(path, Expected(field.FieldType), node),
        };
    }

    private static ByteString Base64(string text, string path)
    {
        try
        {
            return ByteString.FromBase64(text);
        }
        catch (FormatException)
        {
            throw new KubernetesProtobufFormatException($"{path}: expected base64 data");
        }
    }

    private static string Expected(FieldType type) => type switch
    {
        FieldType.String => "a string",
        FieldType.Bytes => "base64 data in a string",
        FieldType.Bool => "true or false",
        FieldType.Double or FieldType.Float => "a number",
        _ => $"an integer that fits {type.ToString().ToLowerInvariant()}",
    };
}
