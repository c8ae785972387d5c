using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;

namespace Keelson.Sandbox.Store;

/// <summary>The store's identity of an object: group and kind (any version), namespace and name.</summary>
public readonly record struct StoreKey(string Group, string Kind, string Namespace, string Name)
{
    /// <summary>The key of a delivery key.</summary>
    public static StoreKey Of(ObjectKey key) => new(key.Group, key.Kind, key.Namespace ?? "", key.Name);

    /// <summary>The key of an object.</summary>
    public static StoreKey Of(IKubernetesObject<V1ObjectMeta> resource) => Of(ObjectKey.Of(resource));
}
