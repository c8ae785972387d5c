using Keelson.Spec.Units;

namespace Keelson.Planning.Packing;

/// <summary>A pod to pack: its requests and the workload it belongs to.</summary>
public readonly record struct PodDemand(string Workload, MilliCpu Cpu, ByteSize Memory, int Gpus);

/// <summary>The result of packing pods into identical nodes.</summary>
/// <param name="Nodes">Nodes opened.</param>
/// <param name="LowerBound">No packing can use fewer: max over dimensions of ceil(total demand / capacity).</param>
/// <param name="Assignment">Node index of each pod, in input order.</param>
public sealed record PackingResult(int Nodes, int LowerBound, IReadOnlyList<int> Assignment);

/// <summary>
/// Vector first-fit decreasing: pods sorted by their largest share of a node (CPU, memory, GPU, pod slots),
/// each put into the first open node with room in every dimension.
/// </summary>
public static class FirstFitDecreasingPacker
{
    /// <summary>Packs <paramref name="pods"/> into nodes of <paramref name="capacity"/>; every pod must fit an empty node.</summary>
    public static PackingResult Pack(IReadOnlyList<PodDemand> pods, NodeCapacity capacity)
    {
        var order = new int[pods.Count];
        var size = new double[pods.Count];
        for (var i = 0; i < pods.Count; i++)
        {
            order[i] = i;
            size[i] = Share(pods[i], capacity);
        }

        // Ties break on input index so that equal inputs always pack the same way.
        Array.Sort(order, (a, b) => size[a] != size[b] ? size[b].CompareTo(size[a]) : a.CompareTo(b));

        var freeCpu = new List<long>();
        var freeMemory = new List<long>();
        var freeGpus = new List<int>();
        var freePods = new List<int>();
        var assignment = new int[pods.Count];
        foreach (var i in order)
        {
            var pod = pods[i];
            if (!capacity.Fits(pod.Cpu, pod.Memory, pod.Gpus))
            {
                throw new ArgumentException($"A pod of '{pod.Workload}' ({pod.Cpu} CPU, {pod.Memory}, {pod.Gpus} GPU) does not fit an empty node.", nameof(pods));
            }

            var node = -1;
            for (var n = 0; n < freeCpu.Count; n++)
            {
                if (freeCpu[n] >= pod.Cpu.Value && freeMemory[n] >= pod.Memory.Bytes && freeGpus[n] >= pod.Gpus && freePods[n] >= 1)
                {
                    node = n;
                    break;
                }
            }

            if (node < 0)
            {
                node = freeCpu.Count;
                freeCpu.Add(capacity.Cpu.Value);
                freeMemory.Add(capacity.Memory.Bytes);
                freeGpus.Add(capacity.Gpus);
                freePods.Add(capacity.Pods);
            }

            freeCpu[node] -= pod.Cpu.Value;
            freeMemory[node] -= pod.Memory.Bytes;
            freeGpus[node] -= pod.Gpus;
            freePods[node] -= 1;
            assignment[i] = node;
        }

        return new PackingResult(freeCpu.Count, LowerBound(pods, capacity), assignment);
    }

    /// <summary>max over dimensions of ceil(total demand / node capacity).</summary>
    public static int LowerBound(IReadOnlyList<PodDemand> pods, NodeCapacity capacity)
    {
        long cpu = 0, memory = 0, gpus = 0;
        foreach (var p in pods)
        {
            cpu += p.Cpu.Value;
            memory += p.Memory.Bytes;
            gpus += p.Gpus;
        }

        var bound = Math.Max(CeilDiv(cpu, capacity.Cpu.Value), CeilDiv(memory, capacity.Memory.Bytes));
        bound = Math.Max(bound, CeilDiv(pods.Count, capacity.Pods));
        if (gpus > 0)
        {
            bound = Math.Max(bound, capacity.Gpus == 0 ? long.MaxValue : CeilDiv(gpus, capacity.Gpus));
        }

        return (int)bound;
    }

    private static long CeilDiv(long a, long b) => b <= 0 ? (a > 0 ? long.MaxValue : 0) : (a + b - 1) / b;

    /// <summary>A pod's largest share of a node over CPU, memory, GPUs and pod slots.</summary>
    public static double Share(PodDemand p, NodeCapacity c)
    {
        var share = Math.Max((double)p.Cpu.Value / c.Cpu.Value, (double)p.Memory.Bytes / c.Memory.Bytes);
        share = Math.Max(share, 1.0 / c.Pods);
        return c.Gpus > 0 ? Math.Max(share, (double)p.Gpus / c.Gpus) : share;
    }
}
