using Keelson.Spec.Units;

namespace Keelson.Spec.Model;

/// <summary>A cluster: its node pools, and where its prices come from.</summary>
public sealed record ClusterProfile(string Name, string Provider, string? PricesAsOf, IReadOnlyList<NodePool> Pools)
{
    /// <summary>Flat monthly fee for a managed control plane (EKS, GKE), if any.</summary>
    public double ControlPlaneMonthlyUsd { get; init; }
}

/// <summary>A group of identical nodes.</summary>
public sealed record NodePool(
    string Name,
    PoolRole Role,
    InstanceType Instance,
    int MinNodes,
    int MaxNodes,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyList<Taint> Taints,
    IReadOnlyList<string> Zones)
{
    /// <summary>Whether spot capacity may be used in this pool.</summary>
    public bool SpotAllowed { get; init; } = true;
}

/// <summary>What a node pool is for.</summary>
public enum PoolRole
{
    /// <summary>Self-managed control-plane nodes.</summary>
    ControlPlane,

    /// <summary>General workloads and infrastructure.</summary>
    Worker,

    /// <summary>Ingress controllers.</summary>
    Ingress,

    /// <summary>Edge nodes near users or devices.</summary>
    Edge,

    /// <summary>GPU work only.</summary>
    Gpu,
}

/// <summary>A machine type with its hourly prices.</summary>
public sealed record InstanceType(
    string Name,
    int VCpu,
    ByteSize Memory,
    int Gpus,
    GpuType? Gpu,
    HourlyPrices Prices)
{
    /// <summary>Pods a node of this type accepts (kubelet max-pods).</summary>
    public int MaxPods { get; init; } = 110;
}

/// <summary>Hourly prices in US dollars.</summary>
public sealed record HourlyPrices(double OnDemandUsd, double SpotUsd, double ReservedUsd);

/// <summary>A Kubernetes node taint.</summary>
public sealed record Taint(string Key, string Value, string Effect);
