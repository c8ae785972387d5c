using Keelson.Planning.Catalog;
using Keelson.Spec.Model;
using Keelson.Spec.Units;

namespace Keelson.Planning;

/// <summary>A sized, placed and costed stack: what the renderer turns into Kubernetes objects.</summary>
public sealed record Plan(
    StackSpec Spec,
    string Preset,
    IReadOnlyList<ComponentPlan> Components,
    IReadOnlyList<PoolPlan> Pools,
    CostSummary Cost);

/// <summary>How one component is run: on which pool and device, with which workloads.</summary>
/// <param name="Component">The component as specified.</param>
/// <param name="Pool">The node pool its pods go to.</param>
/// <param name="Device"><c>cpu</c> or a GPU type.</param>
/// <param name="Workloads">Its Kubernetes workloads (a Kafka component has brokers and a coordinator).</param>
/// <param name="Sessions">Concurrent sessions sized for, for AI services.</param>
/// <param name="TargetUtilisation">Autoscaling target (0–1), when it autoscales.</param>
/// <param name="Rationale">One line saying how the replicas were reached.</param>
/// <param name="MonthlyUsd">Its share of node cost, on demand.</param>
public sealed record ComponentPlan(
    Component Component,
    string Pool,
    string Device,
    IReadOnlyList<WorkloadPlan> Workloads,
    int? Sessions,
    double? TargetUtilisation,
    string Rationale,
    double MonthlyUsd)
{
    /// <summary>The component's name.</summary>
    public string Name => Component.Name;

    /// <summary>Requested CPU of all replicas at peak.</summary>
    public MilliCpu Cpu => Workloads.Aggregate(MilliCpu.Zero, (sum, w) => sum + (w.Pod.CpuRequest * w.Replicas));

    /// <summary>Requested memory of all replicas at peak.</summary>
    public ByteSize Memory => Workloads.Aggregate(ByteSize.Zero, (sum, w) => sum + (w.Pod.MemoryRequest * w.Replicas));

    /// <summary>GPUs of all replicas at peak.</summary>
    public int Gpus => Workloads.Sum(w => w.Pod.Gpus * w.Replicas);

    /// <summary>Persistent storage of all replicas.</summary>
    public ByteSize Storage => Workloads.Aggregate(ByteSize.Zero, (sum, w) => sum + w.TotalStorage);
}

/// <summary>One Kubernetes workload of a component, e.g. a Deployment or StatefulSet.</summary>
/// <param name="Name">Object name.</param>
/// <param name="Replicas">Replicas planned for peak (the autoscaler's working point).</param>
/// <param name="MinReplicas">Floor, also used off-peak.</param>
/// <param name="MaxReplicas">Ceiling of the autoscaler.</param>
/// <param name="Pod">Requests, limits and GPUs of one pod.</param>
/// <param name="StoragePerReplica">Persistent volume per replica.</param>
/// <param name="Scalable">Whether it may scale down off-peak and has an autoscaler.</param>
/// <param name="ZoneSpread">Whether replicas must spread across zones.</param>
public sealed record WorkloadPlan(
    string Name,
    int Replicas,
    int MinReplicas,
    int MaxReplicas,
    PodShape Pod,
    ByteSize StoragePerReplica,
    bool Scalable,
    bool ZoneSpread)
{
    /// <summary>Whether the replicas share one volume (a service's PVC) instead of one each (a StatefulSet's claims).</summary>
    public bool SharedStorage { get; init; }

    /// <summary>Persistent storage of all replicas together.</summary>
    public ByteSize TotalStorage => SharedStorage ? StoragePerReplica : StoragePerReplica * Replicas;
}

/// <summary>Nodes of one pool at peak and off-peak, with the packing lower bound beside them.</summary>
/// <param name="Pool">The pool.</param>
/// <param name="Nodes">Nodes at peak (first-fit decreasing, at least the pool minimum).</param>
/// <param name="OffPeakNodes">Nodes while scalable workloads run at their minimum.</param>
/// <param name="LowerBound">max over CPU, memory, GPU and pods of ceil(demand / node capacity), at least <c>minNodes</c>.</param>
/// <param name="CpuUtilisation">Requested share of allocatable CPU at peak.</param>
/// <param name="MemoryUtilisation">Requested share of allocatable memory at peak.</param>
/// <param name="MonthlyUsd">On-demand monthly cost at peak node count.</param>
public sealed record PoolPlan(
    NodePool Pool,
    int Nodes,
    int OffPeakNodes,
    int LowerBound,
    double CpuUtilisation,
    double MemoryUtilisation,
    double MonthlyUsd)
{
    /// <summary>Why the pool has <see cref="Nodes"/> nodes: its lower bound and what adds nodes above it.</summary>
    public required Packing.NodeCountReason Reason { get; init; }
}

/// <summary>Monthly cost on demand and each optimisation's saving, alone and combined.</summary>
/// <param name="OnDemandUsd">Every node on demand, around the clock, plus the control-plane fee.</param>
/// <param name="SpotSavingUsd">Saving of the spot share alone.</param>
/// <param name="ReservedSavingUsd">Saving of the reserved share alone.</param>
/// <param name="ScaleDownSavingUsd">Saving of the scale-down schedule alone.</param>
/// <param name="OptimisedUsd">Cost with all three applied together (they overlap, so not the sum of savings).</param>
/// <param name="ControlPlaneUsd">Managed control-plane fee included above.</param>
public sealed record CostSummary(
    double OnDemandUsd,
    double SpotSavingUsd,
    double ReservedSavingUsd,
    double ScaleDownSavingUsd,
    double OptimisedUsd,
    double ControlPlaneUsd);
