using CsCheck;
using Keelson.Planning.Packing;
using Keelson.Spec.Parsing;
using Keelson.Spec.Units;
using Keelson.Testing;

namespace Keelson.Planning.Tests.Packing;

public sealed class NodePackerTests
{
    private static readonly NodeCapacity Node = new(new MilliCpu(4000), ByteSize.FromGiB(16), 0, 10);

    private static PodDemand Pod(long milli, double gib, string name = "w") => new(name, new MilliCpu(milli), ByteSize.FromGiB(gib), 0);

    [Fact]
    public void Exact_search_beats_first_fit_decreasing_where_it_leaves_room()
    {
        // Sizes 0.42, 0.42, 0.3, 0.3, 0.28, 0.28 of a node fit two nodes (0.42 + 0.3 + 0.28 each); first-fit
        // decreasing puts both 0.42s together, then 0.3 + 0.3 + 0.28, and needs a third node for the last 0.28.
        PodDemand[] pods = [Pod(1680, 1), Pod(1680, 1), Pod(1200, 1), Pod(1200, 1), Pod(1120, 1), Pod(1120, 1)];
        var unlimited = Node with { Pods = 100 };

        Assert.Equal(3, FirstFitDecreasingPacker.Pack(pods, unlimited).Nodes);
        var packed = NodePacker.Pack(pods, unlimited);
        Assert.Equal((2, true), (packed.Nodes, packed.Optimal));
    }

    [Fact]
    public void The_exact_optimum_matches_an_exhaustive_search_on_small_sets()
    {
        // Pods from three shapes so that the exact search always runs; brute force assigns every pod to every node.
        var shapes = new[] { Pod(2500, 3), Pod(1500, 9), Pod(700, 2) };
        Gen.Int[0, 2].Array[1, 8].Sample(picks =>
        {
            var pods = picks.Select(i => shapes[i]).ToList();
            Assert.Equal(BruteForce(pods), ExactPacker.Optimum(pods, Node));
        }, iter: 200);
    }

    [Fact]
    public void The_packer_never_uses_more_nodes_than_first_fit_decreasing_nor_fewer_than_the_bound()
    {
        var pods = Gen.Select(Gen.Long[1, 4000], Gen.Double[0.01, 16]).Select((c, m) => Pod(c, m)).List[0, 60];
        pods.Sample(list =>
        {
            var packed = NodePacker.Pack(list, Node);
            Assert.InRange(packed.Nodes, packed.Bound.Nodes, FirstFitDecreasingPacker.Pack(list, Node).Nodes);
            Assert.Equal(FirstFitDecreasingPacker.LowerBound(list, Node), packed.Bound.Nodes);
        }, iter: 300);
    }

    [Fact]
    public void Resuming_first_fit_where_the_last_pod_of_a_shape_went_packs_exactly_like_plain_first_fit()
    {
        // Many replicas of a few shapes, in random order: the shortcut must not change a single node count.
        var shape = Gen.Select(Gen.Long[100, 4000], Gen.Double[0.1, 16]).Select((c, m) => Pod(c, m));
        Gen.Select(shape.Array[1, 4], Gen.Int[0, 3].Array[1, 200]).Sample((shapes, picks) =>
        {
            var pods = picks.Select(i => shapes[i % shapes.Length]).ToList();
            Assert.Equal(FirstFitDecreasingPacker.Pack(pods, Node).Nodes, NodePacker.FirstFitByShare(pods, Node));
        }, iter: 300);
    }

    [Fact]
    public void Too_many_shapes_skip_the_exact_search_and_say_so()
    {
        // 40 different shapes: 2^40 states, far past the budget.
        var pods = Enumerable.Range(0, 40).Select(i => Pod(1300 + i, 1)).ToList();

        Assert.Null(ExactPacker.Optimum(pods, Node with { Pods = 100 }));
    }

    [Fact]
    public void Call_center_general_pool_needs_13_nodes_and_the_plan_says_why()
    {
        // 23 pods of 3 CPU / 12Gi (advisor 10, stt 13) fit two per m6i.2xlarge (7.91 CPU, 28.3Gi allocatable), 12 nodes,
        // leaving 1.91 CPU beside each pair: no room for a 2-CPU chatbot pod. The one node with a single 3-CPU pod takes
        // two chatbots, the other two need a 13th node. Memory alone would allow 11; 13 is optimal.
        var plan = Planner.Default.Plan(StackParser.Parse(File.ReadAllText(Repo.File("examples", "ai-call-center.yaml")), "ai-call-center.yaml").Value!).Plan!;
        var general = plan.Pools.Single(p => p.Pool.Name == "general");

        Assert.Equal((13, 11, "memory", true), (general.Nodes, general.LowerBound, general.Reason.LowerBoundBy, general.Reason.PackingOptimal));
        Assert.StartsWith("13 nodes; lower bound 11 (memory); 2 more because pod shapes leave room no pod fits: 23 pods of 3 CPU / 12Gi fit 2 per node (12 nodes) with 1.91 CPU / 4.3Gi left beside them, too little for the 4 pods of 2 CPU / 4Gi; 13 is the fewest possible", general.Reason.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spread_floor_above_the_packing_is_named()
    {
        var yaml = """
            metadata: {tenant: t}
            sla: {availability: 99.95%}
            components:
              - {name: api, kind: service, image: example.com/a:1, replicas: 3}
            """;
        var plan = Planner.Default.Plan(StackParser.Parse(yaml, "s.yaml").Value!).Plan!;
        var general = plan.Pools.Single(p => p.Pool.Name == "general");

        Assert.Equal(3, general.Nodes);
        Assert.Equal("3 nodes; lower bound 2 (minNodes); 1 more because 'api' spreads 3 replicas over 3 zones, a node in each", general.Reason.Summary);
    }

    private static int BruteForce(List<PodDemand> pods)
    {
        var best = pods.Count;
        var cpu = new List<long>();
        var memory = new List<long>();
        void Place(int i)
        {
            if (cpu.Count >= best)
            {
                return;
            }

            if (i == pods.Count)
            {
                best = cpu.Count;
                return;
            }

            for (var n = 0; n < cpu.Count; n++)
            {
                if (cpu[n] + pods[i].Cpu.Value <= Node.Cpu.Value && memory[n] + pods[i].Memory.Bytes <= Node.Memory.Bytes)
                {
                    cpu[n] += pods[i].Cpu.Value;
                    memory[n] += pods[i].Memory.Bytes;
                    Place(i + 1);
                    cpu[n] -= pods[i].Cpu.Value;
                    memory[n] -= pods[i].Memory.Bytes;
                }
            }

            cpu.Add(pods[i].Cpu.Value);
            memory.Add(pods[i].Memory.Bytes);
            Place(i + 1);
            cpu.RemoveAt(cpu.Count - 1);
            memory.RemoveAt(memory.Count - 1);
        }

        Place(0);
        return best;
    }
}
