using System.Globalization;
using Keelson.Spec.Units;

namespace Keelson.Planning.Packing;

/// <summary>Why a pool has the nodes it has at peak: its lower bound, what adds nodes above it, and whether that is proved minimal.</summary>
/// <param name="LowerBound">Resource lower bound (at least <c>minNodes</c>).</param>
/// <param name="LowerBoundBy"><c>cpu</c>, <c>memory</c>, <c>gpu</c>, <c>pod slots</c>, <c>minNodes</c> or <c>no pods</c>.</param>
/// <param name="Packed">Nodes the pods take when packed.</param>
/// <param name="PackingOptimal">Whether no packing of these pods uses fewer nodes.</param>
/// <param name="PackingMethod">The packing that gave <paramref name="Packed"/>.</param>
/// <param name="Floor">Nodes the availability rules ask for (spread across nodes and zones), 0 when none.</param>
/// <param name="FloorBy">The workload and rule behind <paramref name="Floor"/>.</param>
/// <param name="Summary">All of the above in one line, e.g. "13 nodes; lower bound 11 (memory); 2 more because ...".</param>
public sealed record NodeCountReason(
    int LowerBound,
    string LowerBoundBy,
    int Packed,
    bool PackingOptimal,
    string PackingMethod,
    int Floor,
    string? FloorBy,
    string Summary)
{
    /// <summary>Explains <paramref name="nodes"/> from the packing outcome, the pool minimum and the spread floor.</summary>
    public static NodeCountReason Explain(
        int nodes, PackingOutcome packing, int minNodes, (int Nodes, string? By) floor, IReadOnlyList<PodDemand> pods, NodeCapacity capacity)
    {
        var (bound, by) = minNodes > packing.Bound.Nodes ? (minNodes, "minNodes") : (packing.Bound.Nodes, packing.Bound.By);
        var text = Invariant($"{nodes} node{(nodes == 1 ? "" : "s")}; lower bound {bound} ({by})");
        var extra = nodes - bound;
        if (extra > 0)
        {
            string because;
            if (floor.Nodes == nodes && floor.Nodes > packing.Nodes)
            {
                because = floor.By!;
            }
            else if (packing.Optimal)
            {
                because = Invariant($"pod shapes leave room no pod fits: {Fragmentation(pods, capacity, packing.Bound.Nodes)}; {packing.Nodes} is the fewest possible ({packing.Method})");
            }
            else
            {
                because = Invariant($"{packing.Method} packed them so; the optimum was not searched (too many pods of too many shapes), so some may be packing slack");
            }

            text += Invariant($"; {extra} more because {because}");
        }

        return new NodeCountReason(bound, by, packing.Nodes, packing.Optimal, packing.Method, floor.Nodes, floor.By, text);
    }

    /// <summary>The pod shape whose own count forces the most nodes, and which pods its leftover room cannot take.</summary>
    private static string Fragmentation(IReadOnlyList<PodDemand> pods, NodeCapacity capacity, int bound)
    {
        var shapes = ExactPacker.Shapes(pods, capacity);
        var worst = shapes
            .Select(s => (Shape: s, PerNode: PerNode(s.Pod, capacity)))
            .Select(x => (x.Shape, x.PerNode, Nodes: (x.Shape.Count + x.PerNode - 1) / x.PerNode))
            .OrderByDescending(x => x.Nodes)
            .First();
        var pod = worst.Shape.Pod;
        var leftCpu = new MilliCpu(capacity.Cpu.Value - (worst.PerNode * pod.Cpu.Value));
        var leftMemory = new ByteSize(capacity.Memory.Bytes - (worst.PerNode * pod.Memory.Bytes));

        // When one shape alone needs more nodes than the bound, that is the headline; otherwise its leftover is an example.
        var text = worst.Nodes > bound
            ? Invariant($"{worst.Shape.Count} pod{(worst.Shape.Count == 1 ? "" : "s")} of {Describe(pod)} fit {worst.PerNode} per node ({worst.Nodes} node{(worst.Nodes == 1 ? "" : "s")}) with {leftCpu.Cores:0.##} CPU / {leftMemory.Display()} left beside them")
            : Invariant($"e.g. {worst.PerNode} pod{(worst.PerNode == 1 ? "" : "s")} of {Describe(pod)} on a node leave {leftCpu.Cores:0.##} CPU / {leftMemory.Display()}");
        var misfit = shapes.FirstOrDefault(s => s.Pod != pod && (s.Pod.Cpu.Value > leftCpu.Value || s.Pod.Memory.Bytes > leftMemory.Bytes || s.Pod.Gpus > capacity.Gpus - (worst.PerNode * pod.Gpus)));
        return misfit.Count > 0
            ? text + Invariant($", too little for the {misfit.Count} pod{(misfit.Count == 1 ? "" : "s")} of {Describe(misfit.Pod)}")
            : text;
    }

    private static int PerNode(PodDemand pod, NodeCapacity capacity)
    {
        long most = capacity.Pods;
        most = Math.Min(most, pod.Cpu.Value == 0 ? most : capacity.Cpu.Value / pod.Cpu.Value);
        most = Math.Min(most, pod.Memory.Bytes == 0 ? most : capacity.Memory.Bytes / pod.Memory.Bytes);
        most = Math.Min(most, pod.Gpus == 0 ? most : capacity.Gpus / pod.Gpus);
        return (int)Math.Max(most, 1);
    }

    private static string Describe(PodDemand pod) =>
        Invariant($"{pod.Cpu.Cores:0.###} CPU / {pod.Memory.Display()}{(pod.Gpus > 0 ? $" / {pod.Gpus} GPU" : "")}");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
