using Keelson.Spec.Model;
using Keelson.Spec.Units;

namespace Keelson.Planning.Packing;

/// <summary>What a node offers to pods once the kubelet, system daemons and DaemonSets have their share.</summary>
/// <param name="Cpu">Allocatable CPU.</param>
/// <param name="Memory">Allocatable memory.</param>
/// <param name="Gpus">GPUs.</param>
/// <param name="Pods">Pod slots left after DaemonSet pods.</param>
public sealed record NodeCapacity(MilliCpu Cpu, ByteSize Memory, int Gpus, int Pods)
{
    /// <summary>Pod slots taken by DaemonSets on every node (CNI, kube-proxy, node exporter).</summary>
    public const int DaemonSetPods = 3;

    /// <summary>
    /// Allocatable capacity by GKE's published reservation formula: CPU 6 % of the first core, 1 % of the
    /// second, 0.5 % of cores 3–4, 0.25 % above; memory 25 % of the first 4 GiB, 20 % of the next 4,
    /// 10 % of the next 8, 6 % of the next 112, 2 % above 128 GiB; plus a 100 MiB eviction threshold.
    /// </summary>
    public static NodeCapacity Of(InstanceType instance)
    {
        var cores = instance.VCpu;
        var reservedCpu = (Math.Min(cores, 1) * 60) + (Math.Clamp(cores - 1, 0, 1) * 10) + (Math.Clamp(cores - 2, 0, 2) * 5) + (Math.Max(cores - 4, 0) * 2.5);
        var gib = instance.Memory.GiB;
        var reservedGiB = (Math.Min(gib, 4) * 0.25) + (Math.Clamp(gib - 4, 0, 4) * 0.20) + (Math.Clamp(gib - 8, 0, 8) * 0.10)
            + (Math.Clamp(gib - 16, 0, 112) * 0.06) + (Math.Max(gib - 128, 0) * 0.02);
        var memory = instance.Memory.Bytes - ByteSize.FromGiB(reservedGiB).Bytes - ByteSize.FromMiB(100).Bytes;
        return new NodeCapacity(
            new MilliCpu((cores * 1000) - (long)Math.Ceiling(reservedCpu)),
            new ByteSize(Math.Max(memory, 0)),
            instance.Gpus,
            Math.Max(instance.MaxPods - DaemonSetPods, 1));
    }

    /// <summary>Whether one pod of this shape fits an empty node.</summary>
    public bool Fits(MilliCpu cpu, ByteSize memory, int gpus) => cpu <= Cpu && memory <= Memory && gpus <= Gpus;
}
