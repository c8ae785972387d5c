using Keelson.Spec.Units;

namespace Keelson.Spec.Model;

/// <summary>A part of the stack; its kind decides how it is sized and rendered.</summary>
public abstract record Component
{
    /// <summary>DNS-1123 label, unique in the stack.</summary>
    public required string Name { get; init; }

    /// <summary>Names of components this one calls; used for network policy and start order.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Node pool to run on; chosen by the planner when absent.</summary>
    public string? Pool { get; init; }

    /// <summary>The kind as written in the spec (<c>ai-service</c>, <c>service</c>, ...).</summary>
    public abstract string Kind { get; }
}

/// <summary>CPU and memory for one container, as Kubernetes requests and limits.</summary>
public sealed record ResourceSpec(MilliCpu CpuRequest, ByteSize MemoryRequest, MilliCpu CpuLimit, ByteSize MemoryLimit)
{
    /// <summary>A spec whose limits equal its requests.</summary>
    public static ResourceSpec Guaranteed(MilliCpu cpu, ByteSize memory) => new(cpu, memory, cpu, memory);
}

/// <summary>Persistent storage for a stateful component.</summary>
public sealed record StorageSpec(ByteSize Size, string? StorageClass);

/// <summary>Bounds and targets for horizontal autoscaling.</summary>
public sealed record AutoscalingSpec(int? MinReplicas, int? MaxReplicas, int? CpuPercent, int? MemoryPercent);

/// <summary>Where a component runs inference: plain CPU, a named GPU type, or the planner's cheapest choice.</summary>
public sealed record DeviceChoice(DeviceKind Kind, GpuType? Gpu)
{
    /// <summary>Let the planner choose by cost.</summary>
    public static readonly DeviceChoice Auto = new(DeviceKind.Auto, null);

    /// <summary>CPU only.</summary>
    public static readonly DeviceChoice Cpu = new(DeviceKind.Cpu, null);

    /// <summary>A specific GPU type.</summary>
    public static DeviceChoice OnGpu(GpuType gpu) => new(DeviceKind.Gpu, gpu);
}

/// <summary>How a device was chosen.</summary>
public enum DeviceKind
{
    /// <summary>Chosen by the planner.</summary>
    Auto,

    /// <summary>CPU only.</summary>
    Cpu,

    /// <summary>A GPU of a given type.</summary>
    Gpu,
}

/// <summary>GPU models the catalog knows.</summary>
public enum GpuType
{
    /// <summary>NVIDIA T4, 16 GB.</summary>
    T4,

    /// <summary>NVIDIA V100, 32 GB.</summary>
    V100,

    /// <summary>NVIDIA L40S, 48 GB.</summary>
    L40S,

    /// <summary>NVIDIA A100, 80 GB.</summary>
    A100,

    /// <summary>NVIDIA H100, 80 GB.</summary>
    H100,
}
