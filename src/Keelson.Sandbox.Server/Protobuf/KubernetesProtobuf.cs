using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Runtime = K8S.Io.Apimachinery.Pkg.Runtime;

namespace Keelson.Sandbox.Server.Protobuf;

/// <summary>
/// The <c>application/vnd.kubernetes.protobuf</c> body: the 4-byte magic <c>k8s\0</c>, then a <c>runtime.Unknown</c>
/// whose typeMeta names the apiVersion and kind and whose raw bytes are the typed message.
/// </summary>
internal static class KubernetesProtobuf
{
    /// <summary>The media type of the format.</summary>
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    /// <summary>Whether the bytes start with the envelope's magic.</summary>
    public static bool IsEnvelope(ReadOnlySpan<byte> body) => body.StartsWith(Magic);

    /// <summary>
    /// The body as the Kubernetes JSON object of the same object, apiVersion and kind first. A body that is not an
    /// envelope is a <see cref="KubernetesProtobufFormatException"/>; a type without a schema here is an
    /// <see cref="UnknownKubernetesTypeException"/>.
    /// </summary>
    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (!IsEnvelope(body))
        {
            throw new KubernetesProtobufFormatException("the body does not start with the Kubernetes protobuf magic 'k8s\\0'");
        }

        Runtime.Unknown unknown;
        try
        {
            unknown = Runtime.Unknown.Parser.ParseFrom(body[Magic.Length..]);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new KubernetesProtobufFormatException($"the body is not a runtime.Unknown envelope: {e.Message}");
        }

        var apiVersion = unknown.TypeMeta?.ApiVersion ?? "";
        var kind = unknown.TypeMeta?.Kind ?? "";
        if (unknown.ContentEncoding.Length > 0)
        {
            throw new KubernetesProtobufFormatException($"the {apiVersion}/{kind} body has contentEncoding '{unknown.ContentEncoding}'; only unencoded bodies are read");
        }

        var descriptor = KubernetesTypes.Find(apiVersion, kind) ?? throw new UnknownKubernetesTypeException(apiVersion, kind);
        IMessage message;
        try
        {
            message = descriptor.Parser.ParseFrom(unknown.Raw);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new KubernetesProtobufFormatException($"the body is not a valid {apiVersion}/{kind}: {e.Message}");
        }

        var json = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        foreach (var (name, value) in MessageJson.ToJson(message).ToList())
        {
            json[name] = value?.DeepClone();
        }

        return json;
    }

    /// <summary>
    /// A Kubernetes JSON object as an envelope, typed by its own apiVersion and kind. Properties the schema lacks are
    /// dropped, as a Go client drops them, unless <paramref name="rejectUnknown"/>. A kind without a schema is an
    /// <see cref="UnknownKubernetesTypeException"/>.
    /// </summary>
    public static byte[] Encode(JsonObject json, bool rejectUnknown = false)
    {
        ArgumentNullException.ThrowIfNull(json);
        var apiVersion = Text(json, "apiVersion");
        var kind = Text(json, "kind");
        var descriptor = KubernetesTypes.Find(apiVersion, kind) ?? throw new UnknownKubernetesTypeException(apiVersion, kind);
        var unknown = new Runtime.Unknown
        {
            TypeMeta = new Runtime.TypeMeta { ApiVersion = apiVersion, Kind = kind },
            Raw = MessageJson.ToMessage(json, descriptor, rejectUnknown).ToByteString(),
            ContentEncoding = "",
            ContentType = "",
        };
        var body = new byte[Magic.Length + unknown.CalculateSize()];
        Magic.CopyTo(body);
        unknown.WriteTo(body.AsSpan(Magic.Length));
        return body;
    }

    private static string Text(JsonObject json, string name) =>
        json[name] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : "";
}
