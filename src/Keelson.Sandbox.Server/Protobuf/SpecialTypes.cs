using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Intstr = K8S.Io.Apimachinery.Pkg.Util.Intstr;
using Meta = K8S.Io.Apimachinery.Pkg.Apis.Meta.V1;
using Resource = K8S.Io.Apimachinery.Pkg.Api.Resource;
using Runtime = K8S.Io.Apimachinery.Pkg.Runtime;

namespace Keelson.Sandbox.Server.Protobuf;

/// <summary>
/// The messages whose JSON is not an object of their fields: Go types with their own JSON form
/// (Quantity, IntOrString, Time, MicroTime, Duration) and raw payloads (RawExtension, FieldsV1, Verbs).
/// </summary>
internal static class SpecialTypes
{
    /// <summary>How one special message reads and writes JSON; <c>ToJson</c> returns null for a value Go omits.</summary>
    internal sealed record Converter(Func<IMessage, JsonNode?> ToJson, Func<JsonNode, string, IMessage> FromJson);

    private static readonly FrozenDictionary<string, Converter> ByName = new Dictionary<string, Converter>
    {
        [Resource.Quantity.Descriptor.FullName] = new(m => ((Resource.Quantity)m).String, QuantityFromJson),
        [Intstr.IntOrString.Descriptor.FullName] = new(IntOrStringToJson, IntOrStringFromJson),
        [Meta.Time.Descriptor.FullName] = new(m => TimeToJson(((Meta.Time)m).HasSeconds, ((Meta.Time)m).Seconds, ((Meta.Time)m).Nanos, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'"), TimeFromJson),
        [Meta.MicroTime.Descriptor.FullName] = new(m => TimeToJson(((Meta.MicroTime)m).HasSeconds, ((Meta.MicroTime)m).Seconds, ((Meta.MicroTime)m).Nanos, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'"), MicroTimeFromJson),
        [Meta.Duration.Descriptor.FullName] = new(m => GoDuration.Format(((Meta.Duration)m).Duration_), DurationFromJson),
        [Runtime.RawExtension.Descriptor.FullName] = new(m => RawToJson(((Runtime.RawExtension)m).Raw), (j, _) => new Runtime.RawExtension { Raw = RawFromJson(j) }),
        [Meta.FieldsV1.Descriptor.FullName] = new(m => RawToJson(((Meta.FieldsV1)m).Raw), (j, _) => new Meta.FieldsV1 { Raw = RawFromJson(j) }),
        [Meta.Verbs.Descriptor.FullName] = new(m => new JsonArray([.. ((Meta.Verbs)m).Items.Select(v => (JsonNode?)v)]), VerbsFromJson),
    }.ToFrozenDictionary();

    /// <summary>The converter of a message type, or null for an ordinary message (a JSON object of its fields).</summary>
    public static Converter? For(MessageDescriptor descriptor) => ByName.GetValueOrDefault(descriptor.FullName);

    private static JsonValue IntOrStringToJson(IMessage message)
    {
        var value = (Intstr.IntOrString)message;
        return value.Type == 1 ? JsonValue.Create(value.StrVal) : JsonValue.Create(value.IntVal);
    }

    private static Intstr.IntOrString IntOrStringFromJson(JsonNode json, string path) => json.GetValueKind() switch
    {
        JsonValueKind.Number when int.TryParse(json.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) =>
            new Intstr.IntOrString { Type = 0, IntVal = number },
        JsonValueKind.String => new Intstr.IntOrString { Type = 1, StrVal = json.GetValue<string>() },
        _ => throw Wrong(path, "an integer or a string", json),
    };

    private static Resource.Quantity QuantityFromJson(JsonNode json, string path) => json.GetValueKind() switch
    {
        JsonValueKind.String => new Resource.Quantity { String = json.GetValue<string>() },
        JsonValueKind.Number => new Resource.Quantity { String = json.ToJsonString() },
        _ => throw Wrong(path, "a quantity (string or number)", json),
    };

    // Go writes a zero Time as an empty message and as JSON null.
    private static JsonNode? TimeToJson(bool hasSeconds, long seconds, int nanos, string format) =>
        !hasSeconds && nanos == 0 ? null
            : DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100).UtcDateTime.ToString(format, CultureInfo.InvariantCulture);

    private static Meta.Time TimeFromJson(JsonNode json, string path)
    {
        var (seconds, nanos) = ParseTime(json, path);
        return new Meta.Time { Seconds = seconds, Nanos = nanos };
    }

    private static Meta.MicroTime MicroTimeFromJson(JsonNode json, string path)
    {
        var (seconds, nanos) = ParseTime(json, path);
        return new Meta.MicroTime { Seconds = seconds, Nanos = nanos };
    }

    private static (long Seconds, int Nanos) ParseTime(JsonNode json, string path)
    {
        if (json.GetValueKind() != JsonValueKind.String
            || !DateTimeOffset.TryParse(json.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            throw Wrong(path, "an RFC 3339 time", json);
        }

        var seconds = time.ToUnixTimeSeconds();
        return (seconds, (int)((time.UtcTicks - DateTimeOffset.FromUnixTimeSeconds(seconds).UtcTicks) * 100));
    }

    private static Meta.Duration DurationFromJson(JsonNode json, string path) =>
        json.GetValueKind() == JsonValueKind.String && GoDuration.TryParse(json.GetValue<string>(), out var nanoseconds)
            ? new Meta.Duration { Duration_ = nanoseconds }
            : throw Wrong(path, "a Go duration such as \"1h30m\"", json);

    private static Meta.Verbs VerbsFromJson(JsonNode json, string path)
    {
        if (json is not JsonArray array || array.Any(v => v?.GetValueKind() != JsonValueKind.String))
        {
            throw Wrong(path, "an array of strings", json);
        }

        var verbs = new Meta.Verbs();
        verbs.Items.AddRange(array.Select(v => v!.GetValue<string>()));
        return verbs;
    }

    // Raw payloads are JSON, or (inside a protobuf List) another k8s envelope.
    private static JsonNode? RawToJson(ByteString raw)
    {
        if (raw.IsEmpty)
        {
            return null;
        }

        if (KubernetesProtobuf.IsEnvelope(raw.Span))
        {
            return KubernetesProtobuf.Decode(raw.Span);
        }

        try
        {
            return JsonNode.Parse(raw.Span);
        }
        catch (JsonException e)
        {
            throw new KubernetesProtobufFormatException($"an embedded object is neither JSON nor protobuf: {e.Message}");
        }
    }

    private static ByteString RawFromJson(JsonNode json) => ByteString.CopyFrom(Encoding.UTF8.GetBytes(json.ToJsonString()));

    internal static KubernetesProtobufFormatException Wrong(string path, string expected, JsonNode? json) =>
        new($"{path}: expected {expected}, got {(json is null ? "null" : json.GetValueKind().ToString().ToLowerInvariant())} {Shorten(json?.ToJsonString() ?? "null")}");

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
