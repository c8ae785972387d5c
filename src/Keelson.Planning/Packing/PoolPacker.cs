using Keelson.Planning.Cost;
using Keelson.Planning.Placement;
using Keelson.Planning.Sizing;
using Keelson.Spec.Model;

namespace Keelson.Planning.Packing;

/// <summary>One pool with its members packed and priced, or only its lower bound when that already exceeds <c>maxNodes</c>.</summary>
/// <param name="Pool">The pool.</param>
/// <param name="LowerBound">Resource lower bound at peak (before <c>minNodes</c>).</param>
/// <param name="Plan">Nodes, utilisation and cost; null when the lower bound exceeds <c>maxNodes</c> (packing a huge fleet would only be slow).</param>
/// <param name="ComponentCost">Each member's showback share of the pool's on-demand cost.</param>
public sealed record PackedPool(NodePool Pool, int LowerBound, PoolPlan? Plan, IReadOnlyList<(string Name, double Usd)> ComponentCost)
{
    /// <summary>Whether the pool holds its members within <c>maxNodes</c>.</summary>
    public bool Fits => Plan is not null && Plan.Nodes <= Pool.MaxNodes;

    /// <summary>Nodes at peak and off-peak, for the cost model; the lower bound stands in when the pool does not fit.</summary>
    public PoolNodes Nodes => Plan is { } p ? new PoolNodes(Pool, p.Nodes, p.OffPeakNodes) : new PoolNodes(Pool, LowerBound, LowerBound);
}

/// <summary>Packs one pool's members at peak and off-peak, applies the pool minimum and the spread floor, and prices it.</summary>
public static class PoolPacker
{
    /// <summary>Packs <paramref name="members"/> into <paramref name="pool"/>.</summary>
    public static PackedPool Pack(NodePool pool, IReadOnlyList<SizedComponent> members)
    {
        var capacity = NodeCapacity.Of(pool.Instance);
        var peakPods = Pods(members, offPeak: false);
        var bound = NodePacker.Bound(peakPods, capacity);
        if (bound.Nodes > pool.MaxNodes)
        {
            return new PackedPool(pool, bound.Nodes, null, []);
        }

        var peak = NodePacker.Pack(peakPods, capacity);
        var offPeak = NodePacker.Pack(Pods(members, offPeak: true), capacity);
        var spread = SpreadFloor(pool, members);
        var floor = Math.Max(pool.MinNodes, spread.Nodes);
        var nodes = Math.Max(peak.Nodes, floor);
        var offPeakNodes = Math.Max(offPeak.Nodes, floor);
        var reason = NodeCountReason.Explain(nodes, peak, pool.MinNodes, spread, peakPods, capacity);

        long cpu = peakPods.Sum(p => p.Cpu.Value);
        long memory = peakPods.Sum(p => p.Memory.Bytes);
        var cpuUse = nodes == 0 ? 0 : (double)cpu / (capacity.Cpu.Value * (double)nodes);
        var memoryUse = nodes == 0 ? 0 : (double)memory / (capacity.Memory.Bytes * (double)nodes);
        var monthly = CostModel.OnDemand(new PoolNodes(pool, nodes, offPeakNodes));

        // Showback: each component pays for the pool in proportion to its dominant share of the requests.
        var shares = members.Select(m => (m.Component.Name, Share: m.Workloads.Sum(w => w.Replicas * Math.Max(
            Math.Max((double)w.Pod.CpuRequest.Value / capacity.Cpu.Value, (double)w.Pod.MemoryRequest.Bytes / capacity.Memory.Bytes),
            capacity.Gpus == 0 ? 0 : (double)w.Pod.Gpus / capacity.Gpus)))).ToList();
        var total = shares.Sum(s => s.Share);
        var costs = shares.Select(s => (s.Name, total == 0 ? 0 : monthly * s.Share / total)).ToList();

        var plan = new PoolPlan(pool, nodes, offPeakNodes, reason.LowerBound, Math.Round(cpuUse, 3), Math.Round(memoryUse, 3), Math.Round(monthly, 2))
        {
            Reason = reason,
        };
        return new PackedPool(pool, bound.Nodes, plan, costs);
    }

    private static List<PodDemand> Pods(IReadOnlyList<SizedComponent> members, bool offPeak)
    {
        var pods = new List<PodDemand>();
        foreach (var w in members.SelectMany(m => m.Workloads))
        {
            var count = offPeak && w.Scalable ? w.MinReplicas : w.Replicas;
            for (var r = 0; r < count; r++)
            {
                pods.Add(new PodDemand(w.Name, w.Pod.CpuRequest, w.Pod.MemoryRequest, w.Pod.Gpus));
            }
        }

        return pods;
    }

    /// <summary>The largest spread floor of any member workload, and which workload and rule set it.</summary>
    private static (int Nodes, string? By) SpreadFloor(NodePool pool, IReadOnlyList<SizedComponent> members)
    {
        (int Nodes, string? By) floor = (0, null);
        foreach (var w in members.SelectMany(m => m.Workloads))
        {
            var nodes = SpreadRule.MinimumNodes(w.Replicas, w.ZoneSpread, pool.Zones.Count);
            if (nodes > floor.Nodes)
            {
                floor = (nodes, SpreadRule.Why(w.Name, w.Replicas, w.ZoneSpread, pool.Zones.Count));
            }
        }

        return floor;
    }
}
