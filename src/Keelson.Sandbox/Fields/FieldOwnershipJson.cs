using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Keelson.Rendering.Output;

namespace Keelson.Sandbox.Fields;

/// <summary>Objects as field sets are computed on: their JSON without <c>managedFields</c>; times in whole seconds.</summary>
public static class FieldOwnershipJson
{
    /// <summary>An object's JSON without its managed fields.</summary>
    public static JsonObject Of(IKubernetesObject<V1ObjectMeta> resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var node = JsonSerializer.SerializeToNode(resource, resource.GetType(), ManifestYaml.JsonOptions)!.AsObject();
        (node["metadata"] as JsonObject)?.Remove("managedFields");
        return node;
    }

    /// <summary>A managed fields time: whole seconds, as the API server writes them.</summary>
    public static DateTime Seconds(DateTime time) => new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
