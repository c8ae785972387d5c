namespace Keelson.Planning.Packing;

/// <summary>Pods of one shape and how many of them there are.</summary>
/// <param name="Pod">One pod of the shape (its workload name is the first seen).</param>
/// <param name="Count">Pods of that shape.</param>
public readonly record struct PodShapeCount(PodDemand Pod, int Count);

/// <summary>
/// The fewest nodes for a set of pods, found exactly when the pods come in few shapes: a dynamic programme over
/// "how many pods of each shape are still to place", each step opening one node with a combination (pattern) of
/// shapes that fits it. Replicas of a workload share a shape, so a pool of a few workloads has few shapes.
/// </summary>
public static class ExactPacker
{
    /// <summary>Largest number of remaining-pod states searched; above it the optimum is not computed.</summary>
    public const int MaxStates = 50_000;

    /// <summary>Largest states × patterns product (work) searched.</summary>
    public const long MaxWork = 2_000_000;

    /// <summary>Groups pods by their requests (CPU, memory, GPUs), largest share of a node first, ties in input order.</summary>
    public static IReadOnlyList<PodShapeCount> Shapes(IReadOnlyList<PodDemand> pods, NodeCapacity capacity)
    {
        var shapes = new List<PodShapeCount>();
        var index = new Dictionary<(long, long, int), int>();
        foreach (var p in pods)
        {
            var key = (p.Cpu.Value, p.Memory.Bytes, p.Gpus);
            if (index.TryGetValue(key, out var i))
            {
                shapes[i] = shapes[i] with { Count = shapes[i].Count + 1 };
            }
            else
            {
                index[key] = shapes.Count;
                shapes.Add(new PodShapeCount(p, 1));
            }
        }

        return [.. shapes.Select((s, i) => (s, i)).OrderByDescending(x => FirstFitDecreasingPacker.Share(x.s.Pod, capacity)).ThenBy(x => x.i).Select(x => x.s)];
    }

    /// <summary>The fewest nodes that hold every pod, or null when the search would exceed its budget.</summary>
    public static int? Optimum(IReadOnlyList<PodDemand> pods, NodeCapacity capacity)
    {
        if (pods.Count == 0)
        {
            return 0;
        }

        var shapes = Shapes(pods, capacity);
        var counts = shapes.Select(s => s.Count).ToArray();
        long states = 1;
        foreach (var c in counts)
        {
            states *= c + 1;
            if (states > MaxStates)
            {
                return null;
            }
        }

        var patterns = Patterns(shapes, capacity, (int)Math.Min(MaxWork / states + 1, int.MaxValue));
        if (patterns is null)
        {
            return null;
        }

        // Mixed-radix index of a remaining-pods vector; removing a pattern always lowers the index.
        var radix = new int[counts.Length];
        var stride = 1;
        for (var s = 0; s < counts.Length; s++)
        {
            radix[s] = stride;
            stride *= counts[s] + 1;
        }

        var best = new int[states];
        var remaining = new int[counts.Length];
        for (var state = 1; state < states; state++)
        {
            var rest = state;
            for (var s = 0; s < counts.Length; s++)
            {
                remaining[s] = rest % (counts[s] + 1);
                rest /= counts[s] + 1;
            }

            // Some node holds a pod of the first remaining shape, so only patterns containing one need trying.
            var first = Array.FindIndex(remaining, r => r > 0);
            var fewest = int.MaxValue;
            foreach (var pattern in patterns)
            {
                if (pattern[first] == 0)
                {
                    continue;
                }

                // A pattern may hold more of a shape than remain: then the node takes what remains of it, which
                // can only leave fewer pods (and so no more nodes) than the sub-pattern an optimum would use.
                var previous = state;
                for (var s = 0; s < counts.Length; s++)
                {
                    previous -= Math.Min(pattern[s], remaining[s]) * radix[s];
                }

                if (best[previous] + 1 < fewest)
                {
                    fewest = best[previous] + 1;
                }
            }

            best[state] = fewest;
        }

        return best[states - 1];
    }

    /// <summary>Maximal combinations of shapes that fit one node (each pattern used up to the counts), or null past the limit.</summary>
    private static List<int[]>? Patterns(IReadOnlyList<PodShapeCount> shapes, NodeCapacity capacity, int limit)
    {
        var patterns = new List<int[]>();
        var current = new int[shapes.Count];
        var overflow = false;

        void Extend(int s, long cpu, long memory, int gpus, int slots)
        {
            if (overflow)
            {
                return;
            }

            if (s == shapes.Count)
            {
                // Keep only maximal patterns: a smaller one is the same node with room left, which the
                // "take what remains" step above already covers.
                for (var t = 0; t < shapes.Count; t++)
                {
                    var p = shapes[t].Pod;
                    if (current[t] < shapes[t].Count && p.Cpu.Value <= cpu && p.Memory.Bytes <= memory && p.Gpus <= gpus && slots >= 1)
                    {
                        return;
                    }
                }

                if (current.Any(c => c > 0))
                {
                    patterns.Add((int[])current.Clone());
                    overflow = patterns.Count > limit;
                }

                return;
            }

            var pod = shapes[s].Pod;
            var most = shapes[s].Count;
            most = Math.Min(most, slots);
            most = (int)Math.Min(most, pod.Cpu.Value == 0 ? most : cpu / pod.Cpu.Value);
            most = (int)Math.Min(most, pod.Memory.Bytes == 0 ? most : memory / pod.Memory.Bytes);
            most = Math.Min(most, pod.Gpus == 0 ? most : gpus / pod.Gpus);
            for (var k = most; k >= 0; k--)
            {
                current[s] = k;
                Extend(s + 1, cpu - (k * pod.Cpu.Value), memory - (k * pod.Memory.Bytes), gpus - (k * pod.Gpus), slots - k);
            }

            current[s] = 0;
        }

        Extend(0, capacity.Cpu.Value, capacity.Memory.Bytes, capacity.Gpus, capacity.Pods);
        return overflow ? null : patterns;
    }
}
