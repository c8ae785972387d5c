using k8s;
using k8s.Models;
using Keelson.Planning;

namespace Keelson.Rendering;

/// <summary>Where an object belongs in the manifest tree, and so in apply order.</summary>
public enum ObjectGroup
{
    /// <summary>Namespace, quota, limits: <c>namespace.yaml</c>.</summary>
    Namespace,

    /// <summary>Network policies: <c>policies/</c>.</summary>
    Policies,

    /// <summary>ConfigMaps: <c>configmaps/</c>.</summary>
    ConfigMaps,

    /// <summary>Secrets: <c>secrets/</c>.</summary>
    Secrets,

    /// <summary>Stateful infrastructure: <c>infrastructure/&lt;component&gt;/</c>.</summary>
    Infrastructure,

    /// <summary>Applications: <c>application/</c>.</summary>
    Application,

    /// <summary>Monitoring: <c>monitoring/</c>.</summary>
    Monitoring,
}

/// <summary>One rendered Kubernetes object, the component it belongs to, and its place in the tree.</summary>
/// <param name="Resource">The typed object.</param>
/// <param name="Component">The component that produced it, or null for tenant-wide objects.</param>
/// <param name="Group">Where it goes in the manifest tree.</param>
public sealed record RenderedObject(IKubernetesObject<V1ObjectMeta> Resource, string? Component, ObjectGroup Group)
{
    /// <summary><c>Kind/name</c>, for messages and tests.</summary>
    public string Id => $"{Resource.Kind}/{Resource.Metadata.Name}";
}

/// <summary>All objects of a tenant in apply order, with the plan they came from.</summary>
public sealed record Manifest(Plan Plan, string Namespace, IReadOnlyList<RenderedObject> Objects)
{
    /// <summary>The objects of one kind, typed.</summary>
    public IEnumerable<T> OfType<T>() => Objects.Select(o => o.Resource).OfType<T>();
}
