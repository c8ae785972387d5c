using k8s;
using k8s.Models;

namespace Keelson.Delivery.Clusters;

/// <summary>Identifies an object: API group (from apiVersion), kind, namespace and name.</summary>
/// <param name="ApiVersion">apiVersion as written, e.g. <c>apps/v1</c>.</param>
/// <param name="Kind">Kind, e.g. <c>Deployment</c>.</param>
/// <param name="Namespace">Namespace, or null for cluster-scoped objects.</param>
/// <param name="Name">Name.</param>
public sealed record ObjectKey(string ApiVersion, string Kind, string? Namespace, string Name)
{
    /// <summary>The API group, empty for the core group.</summary>
    public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : "";

    /// <summary>The key of an object.</summary>
    public static ObjectKey Of(IKubernetesObject<V1ObjectMeta> resource) =>
        new(resource.ApiVersion, resource.Kind, string.IsNullOrEmpty(resource.Metadata.NamespaceProperty) ? null : resource.Metadata.NamespaceProperty, resource.Metadata.Name);

    /// <summary>Whether two keys name the same object; versions of one group are the same object.</summary>
    public bool SameObject(ObjectKey other) =>
        Group == other.Group && Kind == other.Kind && Namespace == other.Namespace && Name == other.Name;

    /// <summary><c>Kind/name</c> or <c>Kind/namespace/name</c>, as kubectl prints them.</summary>
    public override string ToString() => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";
}
