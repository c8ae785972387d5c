using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Store;

/// <summary>
/// An object of a kind a CustomResourceDefinition defines: apiVersion, kind and metadata typed (the store indexes
/// them), everything else (spec, status, any top-level field the CRD's schema has) kept as JSON.
/// </summary>
public sealed class CustomObject : IKubernetesObject<V1ObjectMeta>
{
    /// <inheritdoc/>
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "";

    /// <inheritdoc/>
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "";

    /// <inheritdoc/>
    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    /// <summary>The fields besides apiVersion, kind and metadata.</summary>
    /// <remarks>A dictionary rather than a <see cref="System.Text.Json.Nodes.JsonObject"/>: System.Text.Json writes a JsonObject extension property as a nested object without its name, which is not JSON.</remarks>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? Content { get; set; }
}
