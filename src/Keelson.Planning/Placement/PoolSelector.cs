using Keelson.Planning.Packing;
using Keelson.Planning.Sizing;
using Keelson.Spec.Model;

namespace Keelson.Planning.Placement;

/// <summary>
/// Chooses the node pool of each component: GPU work only on GPU pools of its GPU type (they are tainted, so
/// nothing else lands there), everything else on worker pools; an explicit <c>pool</c> wins if the pods fit it.
/// </summary>
public static class PoolSelector
{
    /// <summary>The pool for a sized component, or a <see cref="PlanningException"/> saying why none fits.</summary>
    public static NodePool Select(SizedComponent sized, ClusterProfile cluster)
    {
        var pods = sized.Workloads.Select(w => w.Pod).ToList();
        var needsGpu = pods.Any(p => p.Gpus > 0);

        if (sized.Component.Pool is { } name)
        {
            var pool = cluster.Pools.First(p => p.Name == name);
            if (needsGpu && (pool.Role != PoolRole.Gpu || (sized.Gpu is { } g && pool.Instance.Gpu != g)))
            {
                throw new PlanningException($"pool '{name}' has no {sized.Gpu} GPUs for this component");
            }

            if (!needsGpu && pool.Role == PoolRole.Gpu)
            {
                throw new PlanningException($"pool '{name}' is reserved for GPU work (tainted); CPU-only pods belong on a worker pool");
            }

            return Fitting(sized, [pool]).FirstOrDefault() ?? throw TooBig(sized, [pool]);
        }

        var candidates = cluster.Pools
            .Where(p => needsGpu ? p.Role == PoolRole.Gpu && p.Instance.Gpu == sized.Gpu : p.Role == PoolRole.Worker)
            .ToList();
        if (candidates.Count == 0)
        {
            throw new PlanningException(needsGpu
                ? $"cluster '{cluster.Name}' has no gpu pool with {sized.Gpu} GPUs"
                : $"cluster '{cluster.Name}' has no worker pool");
        }

        // Among pools that fit, the cheapest per allocatable core keeps general work on general machines.
        return Fitting(sized, candidates)
            .OrderBy(p => p.Instance.Prices.OnDemandUsd / NodeCapacity.Of(p.Instance).Cpu.Cores)
            .ThenBy(p => cluster.Pools.ToList().IndexOf(p))
            .FirstOrDefault() ?? throw TooBig(sized, candidates);
    }

    private static IEnumerable<NodePool> Fitting(SizedComponent sized, IReadOnlyList<NodePool> pools) =>
        pools.Where(pool =>
        {
            var capacity = NodeCapacity.Of(pool.Instance);
            return sized.Workloads.All(w => capacity.Fits(w.Pod.CpuRequest, w.Pod.MemoryRequest, w.Pod.Gpus));
        });

    private static PlanningException TooBig(SizedComponent sized, IReadOnlyList<NodePool> pools)
    {
        var biggest = sized.Workloads.OrderByDescending(w => w.Pod.CpuRequest.Value).First().Pod;
        var offers = string.Join("; ", pools.Select(p =>
        {
            var c = NodeCapacity.Of(p.Instance);
            return $"'{p.Name}' ({p.Instance.Name}) allocates {c.Cpu} CPU, {c.Memory.Display()}, {c.Gpus} GPU";
        }));
        return new PlanningException($"a pod requesting {biggest.CpuRequest} CPU, {biggest.MemoryRequest.Display()} memory, {biggest.Gpus} GPU fits no node: {offers}");
    }
}
