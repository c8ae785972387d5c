using System.Buffers;
using System.Globalization;
using k8s.Models;
using Keelson.Sandbox.Scheduling.Plugins;

namespace Keelson.Sandbox.Scheduling;

/// <summary>
/// Places pods on nodes the way kube-scheduler's framework does: PreFilter, Filter, Score and normalise the
/// feasible nodes, pick the highest total. Ties go to the node whose name sorts first, and the search order is kept
/// in the snapshot, so the same nodes and pods in the same order always give the same placements. Stateless and
/// safe to share; the snapshot is not.
/// </summary>
public sealed class Scheduler
{
    private readonly IFilterPlugin[] filters;
    private readonly IScorePlugin[] scores;

    /// <summary>A scheduler running the given plugins; filters run in the order given.</summary>
    public Scheduler(IEnumerable<IFilterPlugin> filters, IEnumerable<IScorePlugin> scores)
    {
        ArgumentNullException.ThrowIfNull(filters);
        ArgumentNullException.ThrowIfNull(scores);
        this.filters = [.. filters];
        this.scores = [.. scores];
    }

    /// <summary>
    /// Like kube-scheduler's percentageOfNodesToScore: in a large cluster, stop filtering once this share of the
    /// nodes is found feasible and score only those, starting each search where the last one stopped so every node
    /// gets its turn. 0 (the default) is kube-scheduler's adaptive share, 50 % less 1 % per 125 nodes, at least 5 %;
    /// never fewer than 100 nodes. 100 scores every feasible node.
    /// </summary>
    public int PercentageOfNodesToScore { get; init; }

    /// <summary>Every built-in plugin, filters in kube-scheduler's order and scores with its default weights.</summary>
    public static Scheduler Default { get; } = new(
        [
            new NodeUnschedulableFilter(), new NodeNameFilter(), new TaintTolerationFilter(), new NodeSelectorFilter(),
            new NodeAffinityFilter(), new NodeResourcesFitFilter(), new PodTopologySpreadFilter(), new InterPodAffinityFilter(),
        ],
        [
            new LeastAllocatedScore(), new BalancedAllocationScore(), new NodeAffinityScore(), new PodTopologySpreadScore(),
            new InterPodAffinityScore(),
        ]);

    /// <summary>The best node for the pod, or why there is none. Does not bind; the caller binds.</summary>
    public ScheduleResult Schedule(V1Pod pod, ClusterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(snapshot);
        using var cycle = new SchedulingCycle(snapshot.Describe(pod), snapshot);
        var active = ArrayPool<IFilterPlugin>.Shared.Rent(filters.Length);
        var nodes = snapshot.NodeSpan;
        var feasible = ArrayPool<NodeInfo>.Shared.Rent(Math.Max(nodes.Length, 1));
        try
        {
            var activeCount = PreFilter(cycle, active);
            var wanted = FeasibleNodesToFind(nodes.Length);
            var start = nodes.Length == 0 ? 0 : snapshot.NextStartNode % nodes.Length;
            var count = 0;
            var processed = 0;
            while (processed < nodes.Length && count < wanted)
            {
                var node = nodes[(start + processed++) % nodes.Length];
                if (Passes(cycle, node, active.AsSpan(0, activeCount)))
                {
                    feasible[count++] = node;
                }
            }

            snapshot.NextStartNode = nodes.Length == 0 ? 0 : (start + processed) % nodes.Length;

            if (count == 0)
            {
                return new ScheduleResult(null, FailureMessage(cycle, nodes, active.AsSpan(0, activeCount)));
            }

            var best = count == 1 ? feasible[0] : Best(cycle, feasible.AsSpan(0, count));
            return new ScheduleResult(best.Name, $"Successfully assigned {cycle.Pod.Key} to {best.Name}");
        }
        finally
        {
            ArrayPool<IFilterPlugin>.Shared.Return(active, clearArray: true);
            ArrayPool<NodeInfo>.Shared.Return(feasible, clearArray: true);
        }
    }

    /// <summary>
    /// Whether the pod would pass every filter on <paramref name="candidate"/>. A node not in the snapshot (the
    /// cluster autoscaler's template node of a pool) is added for the question and removed after, as the
    /// autoscaler's own simulation forks its snapshot; a node already there is judged with its pods.
    /// </summary>
    public bool Fits(V1Pod pod, V1Node candidate, ClusterSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(snapshot);
        var name = candidate.Metadata?.Name ?? throw new ArgumentException("The candidate node needs metadata.name.", nameof(candidate));
        if (snapshot.FindNode(name) is { } existing)
        {
            return FitsOn(pod, existing, snapshot);
        }

        snapshot.AddNode(candidate);
        try
        {
            return FitsOn(pod, snapshot.FindNode(name)!, snapshot);
        }
        finally
        {
            snapshot.RemoveNode(name);
        }
    }

    private int FeasibleNodesToFind(int nodes)
    {
        const int minimum = 100;
        if (nodes < minimum)
        {
            return nodes;
        }

        var percentage = PercentageOfNodesToScore > 0 ? PercentageOfNodesToScore : Math.Max(50 - (nodes / 125), 5);
        return Math.Max(nodes * percentage / 100, minimum);
    }

    private static bool Passes(SchedulingCycle cycle, NodeInfo node, ReadOnlySpan<IFilterPlugin> active)
    {
        foreach (var filter in active)
        {
            if (!filter.Filter(cycle, node, null))
            {
                return false;
            }
        }

        return true;
    }

    private bool FitsOn(V1Pod pod, NodeInfo node, ClusterSnapshot snapshot)
    {
        using var cycle = new SchedulingCycle(snapshot.Describe(pod), snapshot);
        var active = ArrayPool<IFilterPlugin>.Shared.Rent(filters.Length);
        try
        {
            return Passes(cycle, node, active.AsSpan(0, PreFilter(cycle, active)));
        }
        finally
        {
            ArrayPool<IFilterPlugin>.Shared.Return(active, clearArray: true);
        }
    }

    private int PreFilter(SchedulingCycle cycle, IFilterPlugin[] active)
    {
        var count = 0;
        foreach (var filter in filters)
        {
            if (filter.AppliesTo(cycle.Pod) && (filter is not IPreFilterPlugin pre || pre.PreFilter(cycle)))
            {
                active[count++] = filter;
            }
        }

        return count;
    }

    private NodeInfo Best(SchedulingCycle cycle, ReadOnlySpan<NodeInfo> feasible)
    {
        var total = ArrayPool<long>.Shared.Rent(feasible.Length);
        var buffer = ArrayPool<long>.Shared.Rent(feasible.Length);
        try
        {
            Array.Clear(total, 0, feasible.Length);
            foreach (var plugin in scores)
            {
                if (!plugin.AppliesTo(cycle.Pod))
                {
                    continue;
                }

                var span = buffer.AsSpan(0, feasible.Length);
                span.Clear();
                plugin.Score(cycle, feasible, span);
                for (var i = 0; i < span.Length; i++)
                {
                    total[i] += plugin.Weight * span[i];
                }
            }

            var best = 0;
            for (var i = 1; i < feasible.Length; i++)
            {
                if (total[i] > total[best] || (total[i] == total[best] && string.CompareOrdinal(feasible[i].Name, feasible[best].Name) < 0))
                {
                    best = i;
                }
            }

            return feasible[best];
        }
        finally
        {
            ArrayPool<long>.Shared.Return(total);
            ArrayPool<long>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// kube-scheduler's FitError text: each node contributes the reasons of the first filter it failed, counted and
    /// sorted as strings ("3 Insufficient cpu, 3 node(s) had untolerated taint {nvidia.com/gpu: present}").
    /// </summary>
    private static string FailureMessage(SchedulingCycle cycle, ReadOnlySpan<NodeInfo> nodes, ReadOnlySpan<IFilterPlugin> active)
    {
        var histogram = new Dictionary<string, int>(StringComparer.Ordinal);
        var reasons = new List<string>();
        foreach (var node in nodes)
        {
            reasons.Clear();
            foreach (var filter in active)
            {
                if (!filter.Filter(cycle, node, reasons))
                {
                    if (reasons.Count == 0)
                    {
                        reasons.Add($"node(s) were rejected by {filter.Name}");
                    }

                    break;
                }
            }

            foreach (var reason in reasons)
            {
                histogram[reason] = histogram.GetValueOrDefault(reason) + 1;
            }
        }

        var counted = histogram.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Value} {r.Key}")).Order(StringComparer.Ordinal);
        var total = nodes.Length.ToString(CultureInfo.InvariantCulture);
        return histogram.Count == 0 ? $"0/{total} nodes are available." : $"0/{total} nodes are available: {string.Join(", ", counted)}.";
    }
}
