using Keelson.Spec.Model;
using Keelson.Spec.Units;

namespace Keelson.Planning.Catalog;

/// <summary>How one replica of a catalogued AI service is shaped on one device, and how many sessions it serves.</summary>
/// <param name="SessionsPerReplica">Concurrent sessions one replica serves at full load.</param>
/// <param name="Pod">Requests, limits and GPUs of one replica.</param>
/// <param name="Source">Where the figure comes from: an anchor fact or a Keelson estimate, with its derivation.</param>
public sealed record DeviceVariant(int SessionsPerReplica, PodShape Pod, string Source);

/// <summary>A catalogued AI service: its image, per-request service time and its variants per device.</summary>
/// <param name="Service">The service.</param>
/// <param name="Image">Default container image.</param>
/// <param name="ServiceTime">Time one request spends in the service unloaded; sets the autoscaling target.</param>
/// <param name="Cpu">The CPU variant, or null when the service is GPU-only.</param>
/// <param name="Gpu">Variants per GPU type; absent types are not offered.</param>
public sealed record CatalogEntry(
    AiServiceType Service,
    string Image,
    TimeSpan ServiceTime,
    DeviceVariant? Cpu,
    IReadOnlyDictionary<GpuType, DeviceVariant> Gpu);

/// <summary>Requests, limits and GPUs of one pod.</summary>
public sealed record PodShape(MilliCpu CpuRequest, ByteSize MemoryRequest, MilliCpu CpuLimit, ByteSize MemoryLimit, int Gpus)
{
    /// <summary>A CPU-only pod from a spec's resources.</summary>
    public static PodShape From(ResourceSpec r) => new(r.CpuRequest, r.MemoryRequest, r.CpuLimit, r.MemoryLimit, 0);

    /// <summary>A pod with limits twice its requests, the catalog's default burst allowance.</summary>
    public static PodShape Burstable(double cores, double memoryGiB, int gpus = 0) =>
        new(MilliCpu.FromCores(cores), ByteSize.FromGiB(memoryGiB), MilliCpu.FromCores(cores * 2), ByteSize.FromGiB(memoryGiB * 2), gpus);
}
