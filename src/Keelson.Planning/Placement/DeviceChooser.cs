using System.Globalization;
using Keelson.Planning.Cost;
using Keelson.Planning.Packing;
using Keelson.Planning.Sizing;
using Keelson.Spec.Model;

namespace Keelson.Planning.Placement;

/// <summary>One way to run a component: its sizing on one device and the pool that device puts it on.</summary>
public sealed record Candidate(SizedComponent Sized, NodePool Pool);

/// <summary>The chosen candidate of every component, the packed pools of that choice, and what each alternative would cost.</summary>
/// <param name="Chosen">One candidate per component, in stack order.</param>
/// <param name="Pools">Every pool of the cluster packed with its members, in cluster order.</param>
/// <param name="Alternatives">Per component, its options' whole-plan all-together monthly cost with the others as chosen; empty when it had one option.</param>
public sealed record DeviceChoice(IReadOnlyList<Candidate> Chosen, IReadOnlyList<PackedPool> Pools, IReadOnlyList<string> Alternatives);

/// <summary>
/// Chooses among the devices of <c>device: auto</c> components by the monthly cost of the whole plan, each pool packed
/// with what the choice puts there (so nodes that other components or <c>minNodes</c> already pay for are free to share).
/// Order: plans that fit every pool's <c>maxNodes</c> first, then the lower all-together monthly cost (the bill under the
/// stack's own spot, reserved and scale-down options; the on-demand cost when it sets none), then the lower on-demand
/// cost, then the earlier option of the earlier component (CPU before GPUs, GPUs in catalog order). Every combination is
/// tried up to <see cref="MaxCombinations"/>; beyond that, one component at a time until no change helps.
/// </summary>
public static class DeviceChooser
{
    /// <summary>Most combinations of options searched exhaustively (six components with four devices each).</summary>
    public const int MaxCombinations = 4096;

    /// <summary>Relative cost gap under which the rationale warns that the device may alternate with load.</summary>
    public const double NearTie = 0.05;

    private const int MaxPasses = 20;

    /// <summary>Chooses one candidate per component.</summary>
    public static DeviceChoice Choose(IReadOnlyList<IReadOnlyList<Candidate>> candidates, ClusterProfile cluster, CostOptions cost)
    {
        var search = new Search(candidates, cluster, cost);
        var choice = new int[candidates.Count];
        var best = search.Evaluate(choice);
        long combinations = 1;
        foreach (var c in candidates)
        {
            combinations = Math.Min(combinations * c.Count, MaxCombinations + 1L);
        }

        if (combinations <= MaxCombinations)
        {
            var current = new int[candidates.Count];
            while (Next(current, candidates))
            {
                var score = search.Evaluate(current);
                if (score.CompareTo(best) < 0)
                {
                    (best, choice) = (score, (int[])current.Clone());
                }
            }
        }
        else
        {
            for (var pass = 0; pass < MaxPasses; pass++)
            {
                var improved = false;
                for (var i = 0; i < candidates.Count; i++)
                {
                    for (var o = 0; o < candidates[i].Count; o++)
                    {
                        var trial = (int[])choice.Clone();
                        trial[i] = o;
                        var score = search.Evaluate(trial);
                        if (score.CompareTo(best) < 0)
                        {
                            (best, choice, improved) = (score, trial, true);
                        }
                    }
                }

                if (!improved)
                {
                    break;
                }
            }
        }

        var alternatives = new List<string>();
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates[i].Count < 2)
            {
                alternatives.Add("");
                continue;
            }

            var scores = candidates[i].Select((c, o) =>
            {
                var trial = (int[])choice.Clone();
                trial[i] = o;
                return search.Evaluate(trial);
            }).ToList();
            var text = "whole plan on " + string.Join(", ", candidates[i].Select((c, o) => string.Create(
                CultureInfo.InvariantCulture,
                $"{c.Sized.Device} ${scores[o].OptimisedUsd:#,##0.00}/month{(scores[o].Unfit > 0 ? " (over maxNodes)" : "")}")));

            // Two devices' costs are staircases of whole nodes; where they run close, the cheaper one alternates
            // as load rises. Say so, since the plan cannot remember yesterday's device.
            var mine = scores[choice[i]];
            var runnerUp = scores.Where((s, o) => o != choice[i] && s.Unfit == mine.Unfit).Select(s => s.OptimisedUsd).DefaultIfEmpty(double.MaxValue).Min();
            if (mine.Unfit == 0 && runnerUp <= mine.OptimisedUsd * (1 + NearTie))
            {
                text += string.Create(CultureInfo.InvariantCulture, $" (within {NearTie * 100:0}%: a small change in load may switch device; pin device to keep one)");
            }

            alternatives.Add(text);
        }

        return new DeviceChoice([.. choice.Select((o, i) => candidates[i][o])], search.PoolsOf(choice), alternatives);
    }

    /// <summary>Advances an odometer over the option indices, first component slowest (so the order is lexicographic).</summary>
    private static bool Next(int[] current, IReadOnlyList<IReadOnlyList<Candidate>> candidates)
    {
        for (var i = current.Length - 1; i >= 0; i--)
        {
            if (++current[i] < candidates[i].Count)
            {
                return true;
            }

            current[i] = 0;
        }

        return false;
    }

    private readonly record struct Score(int Unfit, double OnDemandUsd, double OptimisedUsd) : IComparable<Score>
    {
        public int CompareTo(Score other) =>
            Unfit != other.Unfit ? Unfit.CompareTo(other.Unfit)
            : OptimisedUsd != other.OptimisedUsd ? OptimisedUsd.CompareTo(other.OptimisedUsd)
            : OnDemandUsd.CompareTo(other.OnDemandUsd);
    }

    /// <summary>Packs pools on demand, remembering each pool's result for each set of members it has seen.</summary>
    private sealed class Search(IReadOnlyList<IReadOnlyList<Candidate>> candidates, ClusterProfile cluster, CostOptions cost)
    {
        private readonly Dictionary<string, PackedPool> packed = new(StringComparer.Ordinal);

        public Score Evaluate(int[] choice)
        {
            var pools = PoolsOf(choice);
            var price = CostModel.Price([.. pools.Select(p => p.Nodes)], cost, cluster.ControlPlaneMonthlyUsd);
            return new Score(pools.Count(p => !p.Fits), price.OnDemandUsd, price.OptimisedUsd);
        }

        public List<PackedPool> PoolsOf(int[] choice)
        {
            var result = new List<PackedPool>(cluster.Pools.Count);
            for (var p = 0; p < cluster.Pools.Count; p++)
            {
                var pool = cluster.Pools[p];

                // A pool's packing depends only on which option of which component it holds.
                var key = string.Join(',', choice.Select((o, i) => ReferenceEquals(candidates[i][o].Pool, pool) ? o : -1)).Insert(0, p.ToString(CultureInfo.InvariantCulture) + ":");
                if (!packed.TryGetValue(key, out var entry))
                {
                    var members = choice.Select((o, i) => candidates[i][o]).Where(c => ReferenceEquals(c.Pool, pool)).Select(c => c.Sized).ToList();
                    entry = PoolPacker.Pack(pool, members);
                    packed[key] = entry;
                }

                result.Add(entry);
            }

            return result;
        }
    }
}
