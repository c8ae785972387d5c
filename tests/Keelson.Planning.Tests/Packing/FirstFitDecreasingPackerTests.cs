using CsCheck;
using Keelson.Planning.Packing;
using Keelson.Spec.Units;

namespace Keelson.Planning.Tests.Packing;

public sealed class FirstFitDecreasingPackerTests
{
    private static readonly NodeCapacity Node = new(new MilliCpu(4000), ByteSize.FromGiB(16), 0, 10);

    private static PodDemand Pod(long milli, double gib, string name = "w") => new(name, new MilliCpu(milli), ByteSize.FromGiB(gib), 0);

    [Fact]
    public void Largest_pods_go_first_and_small_ones_fill_the_gaps()
    {
        // 3000m pods cannot share a node; the 1000m pods fill the remainder of each.
        PodDemand[] pods = [Pod(1000, 1), Pod(3000, 1), Pod(1000, 1), Pod(3000, 1)];

        var result = FirstFitDecreasingPacker.Pack(pods, Node);

        Assert.Equal(2, result.Nodes);
        Assert.Equal(2, result.LowerBound);
        Assert.Equal([0, 0, 1, 1], result.Assignment);
    }

    [Fact]
    public void Lower_bound_takes_the_tightest_dimension()
    {
        // CPU needs ceil(4000/4000) = 1 node, memory ceil(40/16) = 3.
        PodDemand[] pods = [Pod(1000, 10), Pod(1000, 10), Pod(1000, 10), Pod(1000, 10)];

        var result = FirstFitDecreasingPacker.Pack(pods, Node);

        Assert.Equal(3, result.LowerBound);
        Assert.Equal(4, result.Nodes);
    }

    [Fact]
    public void Pod_slots_limit_a_node()
    {
        var pods = Enumerable.Range(0, 25).Select(_ => Pod(10, 0.01)).ToList();

        var result = FirstFitDecreasingPacker.Pack(pods, Node);

        Assert.Equal(3, result.Nodes);
        Assert.Equal(3, result.LowerBound);
    }

    [Fact]
    public void Gpus_are_a_dimension()
    {
        var gpuNode = new NodeCapacity(new MilliCpu(8000), ByteSize.FromGiB(64), 1, 100);
        var pods = Enumerable.Range(0, 3).Select(_ => new PodDemand("g", new MilliCpu(100), ByteSize.FromGiB(1), 1)).ToList();

        Assert.Equal(3, FirstFitDecreasingPacker.Pack(pods, gpuNode).Nodes);
    }

    [Fact]
    public void A_pod_bigger_than_a_node_is_an_error()
    {
        var e = Assert.Throws<ArgumentException>(() => FirstFitDecreasingPacker.Pack([Pod(5000, 1, "huge")], Node));

        Assert.Contains("huge", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Packing_never_overfills_a_node_and_never_beats_the_lower_bound()
    {
        var pods = Gen.Select(Gen.Long[1, 4000], Gen.Double[0.01, 16]).Select((c, m) => Pod(c, m)).List[0, 80];
        pods.Sample(list =>
        {
            var result = FirstFitDecreasingPacker.Pack(list, Node);
            Assert.True(result.Nodes >= result.LowerBound);
            Assert.True(result.Nodes <= list.Count);
            foreach (var node in Enumerable.Range(0, result.Nodes))
            {
                var members = list.Where((_, i) => result.Assignment[i] == node).ToList();
                Assert.True(members.Sum(p => p.Cpu.Value) <= Node.Cpu.Value);
                Assert.True(members.Sum(p => p.Memory.Bytes) <= Node.Memory.Bytes);
                Assert.True(members.Count <= Node.Pods);
            }
        }, iter: 300);
    }

    [Fact]
    public void First_fit_decreasing_stays_within_its_worst_case_ratio_of_the_optimum()
    {
        // Single-dimension FFD uses at most 11/9·OPT + 6/9 bins (Dósa 2007); OPT by exhaustive search on small sets.
        var pods = Gen.Long[1, 4000].Select(c => Pod(c, 0.001)).List[1, 9];
        pods.Sample(list =>
        {
            var ffd = FirstFitDecreasingPacker.Pack(list, Node with { Pods = 1000 }).Nodes;
            var optimum = Optimum([.. list.Select(p => p.Cpu.Value)], Node.Cpu.Value);
            Assert.True(ffd <= Math.Floor((11.0 / 9 * optimum) + (6.0 / 9) + 1e-9), $"FFD {ffd} vs optimum {optimum}");
            Assert.True(ffd >= optimum);
        }, iter: 300);
    }

    /// <summary>The fewest bins for the sizes, by trying every placement (fine for a handful of items).</summary>
    private static int Optimum(long[] sizes, long capacity)
    {
        var sorted = sizes.OrderDescending().ToArray();
        var best = sorted.Length;
        var bins = new List<long>();
        void Place(int i)
        {
            if (bins.Count >= best)
            {
                return;
            }

            if (i == sorted.Length)
            {
                best = bins.Count;
                return;
            }

            for (var b = 0; b < bins.Count; b++)
            {
                if (bins[b] + sorted[i] <= capacity)
                {
                    bins[b] += sorted[i];
                    Place(i + 1);
                    bins[b] -= sorted[i];
                }
            }

            bins.Add(sorted[i]);
            Place(i + 1);
            bins.RemoveAt(bins.Count - 1);
        }

        Place(0);
        return best;
    }

    [Fact]
    public void Allocatable_follows_the_reservation_formula()
    {
        // m6i.2xlarge: 8 vCPU, 32 GiB. CPU reserved 60 + 10 + 2·5 + 4·2.5 = 90m.
        // Memory reserved 1 + 0.8 + 0.8 + 16·0.06 = 3.56 GiB, plus 100 MiB eviction threshold.
        var capacity = NodeCapacity.Of(new Spec.Model.InstanceType("m6i.2xlarge", 8, ByteSize.FromGiB(32), 0, null, new(0.384, 0.16, 0.242)));

        Assert.Equal(7910, capacity.Cpu.Value);
        Assert.Equal(ByteSize.FromGiB(32).Bytes - ByteSize.FromGiB(3.56).Bytes - ByteSize.FromMiB(100).Bytes, capacity.Memory.Bytes);
        Assert.Equal(107, capacity.Pods);
    }
}
