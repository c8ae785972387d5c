using System.Text.Json;
using k8s;
using k8s.Models;
using Keelson.Rendering.Output;
using Keelson.Validation.Schema;

namespace Keelson.Delivery.Clusters;

/// <summary>Conversions between JSON and the typed models, for every kind Keelson renders (built-in and its CRDs).</summary>
public static class KubeObjects
{
    /// <summary>The model type of an apiVersion and kind, or null when there is none.</summary>
    public static Type? TypeOf(string apiVersion, string kind) =>
        KindRegistry.Find(apiVersion, kind) ?? ManifestYaml.CustomKinds.GetValueOrDefault($"{apiVersion}/{kind}");

    /// <summary>Reads a JSON object into its model; throws <see cref="UnsupportedKindException"/> for kinds without one.</summary>
    public static IKubernetesObject<V1ObjectMeta> FromJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var apiVersion = root.TryGetProperty("apiVersion", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "";
        var kind = root.TryGetProperty("kind", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString()! : "";
        var type = TypeOf(apiVersion, kind) ?? throw new UnsupportedKindException(apiVersion, kind);
        return (IKubernetesObject<V1ObjectMeta>)(root.Deserialize(type, ManifestYaml.JsonOptions)
            ?? throw new JsonException($"{apiVersion} {kind}: the body is null"));
    }

    /// <summary>The JSON form, with KubernetesClient's converters.</summary>
    public static string ToJson(IKubernetesObject<V1ObjectMeta> resource) => JsonSerializer.Serialize(resource, resource.GetType(), ManifestYaml.JsonOptions);

    /// <summary>A deep copy, so callers never share mutable state with a store.</summary>
    public static T Clone<T>(T resource)
        where T : IKubernetesObject<V1ObjectMeta> =>
        (T)JsonSerializer.SerializeToElement(resource, resource.GetType(), ManifestYaml.JsonOptions).Deserialize(resource.GetType(), ManifestYaml.JsonOptions)!;
}

/// <summary>An apiVersion and kind that has no model in KubernetesClient and is not a CRD Keelson renders.</summary>
public sealed class UnsupportedKindException(string apiVersion, string kind)
    : Exception($"{(apiVersion.Length == 0 ? "(no apiVersion)" : apiVersion)} {(kind.Length == 0 ? "(no kind)" : kind)} is not a kind Keelson can deliver")
{
    /// <summary>The apiVersion given.</summary>
    public string ApiVersion { get; } = apiVersion;

    /// <summary>The kind given.</summary>
    public string Kind { get; } = kind;
}
