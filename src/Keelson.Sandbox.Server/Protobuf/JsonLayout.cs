using System.Collections.Concurrent;
using System.Collections.Frozen;
using Google.Protobuf.Reflection;

namespace Keelson.Sandbox.Server.Protobuf;

/// <summary>
/// How a message's fields sit in its JSON object. The proto field name is the JSON name, except where the Go struct
/// tags say otherwise and the .proto cannot: embedded structs whose fields JSON inlines into the parent
/// (<c>json:",inline"</c>) and one field go-to-protobuf renamed. Both lists come from the v0.33.13 <c>types.go</c> tags.
/// </summary>
internal sealed class JsonLayout
{
    // (message type, field name) of every embedded struct the JSON inlines.
    private static readonly FrozenSet<(string Type, string Field)> InlineFields = new[]
    {
        ("k8s.io.api.core.v1.LocalObjectReference", "localObjectReference"),
        ("k8s.io.api.core.v1.VolumeSource", "volumeSource"),
        ("k8s.io.api.core.v1.PersistentVolumeSource", "persistentVolumeSource"),
        ("k8s.io.api.core.v1.ProbeHandler", "handler"),
        ("k8s.io.api.core.v1.EphemeralContainerCommon", "ephemeralContainerCommon"),
        ("k8s.io.api.networking.v1.IngressRuleValue", "ingressRuleValue"),
    }.ToFrozenSet();

    // Go's APIGroup field became aPIGroup in the proto; its JSON name is apiGroup.
    private static readonly FrozenDictionary<string, string> Renamed = new Dictionary<string, string> { ["aPIGroup"] = "apiGroup" }.ToFrozenDictionary();

    private static readonly ConcurrentDictionary<MessageDescriptor, JsonLayout> Layouts = new();

    private JsonLayout(MessageDescriptor message)
    {
        var fields = message.Fields.InFieldNumberOrder();
        Inline = [.. fields.Where(IsInline)];
        Direct = fields.Where(f => !IsInline(f)).ToFrozenDictionary(JsonName, f => f, StringComparer.Ordinal);
    }

    /// <summary>Fields that are JSON properties of this object, by JSON name.</summary>
    public FrozenDictionary<string, FieldDescriptor> Direct { get; }

    /// <summary>Embedded messages whose properties JSON writes into this object.</summary>
    public IReadOnlyList<FieldDescriptor> Inline { get; }

    /// <summary>The layout of a message type.</summary>
    public static JsonLayout Of(MessageDescriptor message) => Layouts.GetOrAdd(message, m => new JsonLayout(m));

    /// <summary>A field's JSON property name.</summary>
    public static string JsonName(FieldDescriptor field) => Renamed.GetValueOrDefault(field.Name, field.Name);

    /// <summary>Whether the JSON property belongs to this object or one inlined into it.</summary>
    public bool Has(string jsonName) => Direct.ContainsKey(jsonName) || Inline.Any(f => Of(f.MessageType).Has(jsonName));

    private static bool IsInline(FieldDescriptor field) =>
        field.FieldType == FieldType.Message && !field.IsRepeated && InlineFields.Contains((field.MessageType.FullName, field.Name));
}
