namespace Keelson.Planning.Packing;

/// <summary>The packing lower bound and the resource that sets it.</summary>
/// <param name="Nodes">max over CPU, memory, GPUs and pod slots of ceil(total demand / node capacity).</param>
/// <param name="By"><c>cpu</c>, <c>memory</c>, <c>gpu</c> or <c>pod slots</c>: the tightest dimension (first in that order on ties); <c>no pods</c> for an empty pool.</param>
public sealed record PackingBound(int Nodes, string By);

/// <summary>How many nodes a pool's pods take and how that was found.</summary>
/// <param name="Nodes">Nodes of the best packing found.</param>
/// <param name="Bound">The resource lower bound.</param>
/// <param name="Optimal">Whether no packing can use fewer nodes (the bound is met, or an exact search proved it).</param>
/// <param name="Method">Which packing gave <paramref name="Nodes"/>.</param>
public sealed record PackingOutcome(int Nodes, PackingBound Bound, bool Optimal, string Method);

/// <summary>
/// Packs a pool's pods: first-fit decreasing in three orders (largest share, CPU, memory) and best-fit decreasing,
/// keeping the fewest nodes (earlier on ties, so the result is deterministic); when that misses the lower bound and
/// the pods come in few shapes, <see cref="ExactPacker"/> finds the optimum.
/// </summary>
public static class NodePacker
{
    /// <summary>Largest pods × lower-bound nodes for which best-fit decreasing is tried.</summary>
    public const long MaxBestFitWork = 5_000_000;

    /// <summary>Packs <paramref name="pods"/> into nodes of <paramref name="capacity"/>; every pod must fit an empty node.</summary>
    public static PackingOutcome Pack(IReadOnlyList<PodDemand> pods, NodeCapacity capacity)
    {
        var bound = Bound(pods, capacity);
        var strategies = new (string Name, Func<PodDemand, (double, double)> Key, bool BestFit)[]
        {
            ("first-fit decreasing", p => (FirstFitDecreasingPacker.Share(p, capacity), 0), false),
            ("first-fit decreasing by CPU", p => (p.Cpu.Value, p.Memory.Bytes), false),
            ("first-fit decreasing by memory", p => (p.Memory.Bytes, p.Cpu.Value), false),
            ("best-fit decreasing", p => (FirstFitDecreasingPacker.Share(p, capacity), 0), true),
        };

        var best = (Nodes: int.MaxValue, Method: "");
        foreach (var (name, key, bestFit) in strategies)
        {
            // Best fit looks at every open node for every pod; past this size it would be slow, and the first-fit
            // orders have already done what greedy packing can.
            if (bestFit && (long)pods.Count * bound.Nodes > MaxBestFitWork)
            {
                continue;
            }

            var nodes = Greedy(pods, capacity, key, bestFit);
            if (nodes < best.Nodes)
            {
                best = (nodes, name);
            }

            if (best.Nodes <= bound.Nodes)
            {
                return new PackingOutcome(best.Nodes, bound, true, best.Method);
            }
        }

        return ExactPacker.Optimum(pods, capacity) is { } optimum && optimum <= best.Nodes
            ? new PackingOutcome(optimum, bound, true, optimum < best.Nodes ? "exact search" : best.Method + ", optimal by exact search")
            : new PackingOutcome(best.Nodes, bound, false, best.Method);
    }

    /// <summary>The resource lower bound of <paramref name="pods"/> on nodes of <paramref name="capacity"/>.</summary>
    public static PackingBound Bound(IReadOnlyList<PodDemand> pods, NodeCapacity capacity)
    {
        long cpu = 0, memory = 0, gpus = 0;
        foreach (var p in pods)
        {
            cpu += p.Cpu.Value;
            memory += p.Memory.Bytes;
            gpus += p.Gpus;
        }

        var candidates = new (long Nodes, string By)[]
        {
            (CeilDiv(cpu, capacity.Cpu.Value), "cpu"),
            (CeilDiv(memory, capacity.Memory.Bytes), "memory"),
            (gpus == 0 ? 0 : capacity.Gpus == 0 ? int.MaxValue : CeilDiv(gpus, capacity.Gpus), "gpu"),
            (CeilDiv(pods.Count, capacity.Pods), "pod slots"),
        };
        if (pods.Count == 0)
        {
            return new PackingBound(0, "no pods");
        }

        var tightest = candidates[0];
        foreach (var c in candidates)
        {
            tightest = c.Nodes > tightest.Nodes ? c : tightest;
        }

        return new PackingBound((int)Math.Min(tightest.Nodes, int.MaxValue), tightest.By);
    }

    /// <summary>Nodes of plain first-fit decreasing by largest share, the first of the greedy orders (for tests).</summary>
    internal static int FirstFitByShare(IReadOnlyList<PodDemand> pods, NodeCapacity capacity) =>
        Greedy(pods, capacity, p => (FirstFitDecreasingPacker.Share(p, capacity), 0), bestFit: false);

    private static long CeilDiv(long a, long b) => b <= 0 ? (a > 0 ? int.MaxValue : 0) : (a + b - 1) / b;

    private static int Greedy(IReadOnlyList<PodDemand> pods, NodeCapacity capacity, Func<PodDemand, (double, double)> key, bool bestFit)
    {
        var keys = pods.Select(key).ToArray();
        var order = Enumerable.Range(0, pods.Count).ToArray();
        Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[b].CompareTo(keys[a]) : a.CompareTo(b));

        var free = new List<(long Cpu, long Memory, int Gpus, int Pods)>();
        var (previous, previousNode) = (default(PodDemand), 0);
        foreach (var i in order)
        {
            var pod = pods[i];
            if (!capacity.Fits(pod.Cpu, pod.Memory, pod.Gpus))
            {
                throw new ArgumentException($"A pod of '{pod.Workload}' ({pod.Cpu} CPU, {pod.Memory}, {pod.Gpus} GPU) does not fit an empty node.", nameof(pods));
            }

            // Replicas of one shape come one after another; a node that had no room for the last of them has none for
            // this one, so first fit resumes where the last went (this keeps large fleets linear, not quadratic).
            var same = i != order[0] && pod.Cpu == previous.Cpu && pod.Memory == previous.Memory && pod.Gpus == previous.Gpus;
            var node = -1;
            var tightest = double.MaxValue;
            for (var n = !bestFit && same ? previousNode : 0; n < free.Count; n++)
            {
                var f = free[n];
                if (f.Cpu < pod.Cpu.Value || f.Memory < pod.Memory.Bytes || f.Gpus < pod.Gpus || f.Pods < 1)
                {
                    continue;
                }

                if (!bestFit)
                {
                    node = n;
                    break;
                }

                // Best fit: the node left with the least room in its roomiest dimension once the pod is in.
                var left = Math.Max((double)(f.Cpu - pod.Cpu.Value) / capacity.Cpu.Value, (double)(f.Memory - pod.Memory.Bytes) / capacity.Memory.Bytes);
                if (left < tightest)
                {
                    (node, tightest) = (n, left);
                }
            }

            if (node < 0)
            {
                node = free.Count;
                free.Add((capacity.Cpu.Value, capacity.Memory.Bytes, capacity.Gpus, capacity.Pods));
            }

            var g = free[node];
            free[node] = (g.Cpu - pod.Cpu.Value, g.Memory - pod.Memory.Bytes, g.Gpus - pod.Gpus, g.Pods - 1);
            (previous, previousNode) = (pod, node);
        }

        return free.Count;
    }
}
