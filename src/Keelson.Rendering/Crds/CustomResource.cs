using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Keelson.Rendering.Crds;

/// <summary>
/// A custom resource with a typed spec. KubernetesClient has no models for CRDs, so each CRD Keelson renders
/// gets a small spec type of its own, holding only the fields Keelson sets.
/// </summary>
public abstract class CustomResource<TSpec> : IKubernetesObject<V1ObjectMeta>
    where TSpec : class
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

    /// <summary>The resource's spec.</summary>
    [JsonPropertyName("spec")]
    public TSpec? Spec { get; set; }
}
