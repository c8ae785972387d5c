using Keelson.Planning.Packing;
using Keelson.Sandbox.Nodes;
using Keelson.Spec.Profiles;

namespace Keelson.Sandbox.Tests.Nodes;

public class NodeFactoryTests
{
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Gpu_node_advertises_its_gpus_keeps_the_pool_taint_and_the_planners_allocatable()
    {
        var pool = ClusterProfiles.Find("aws-gpu")!.Pools.Single(p => p.Name == "gpu-t4");
        var node = NodeFactory.Create(pool, 4, Epoch);

        Assert.Equal("gpu-t4-004", node.Metadata.Name);
        Assert.Equal("1", node.Status.Allocatable[NodeFactory.GpuResource].ToString());
        Assert.Equal($"{NodeCapacity.Of(pool.Instance).Cpu.Value}m", node.Status.Allocatable["cpu"].ToString());
        var taint = Assert.Single(node.Spec.Taints);
        Assert.Equal(("nvidia.com/gpu", "present", "NoSchedule"), (taint.Key, taint.Value, taint.Effect));
        Assert.Equal("gpu-t4", node.Metadata.Labels[NodeFactory.PoolLabel]);
        Assert.Equal("Tesla-T4", node.Metadata.Labels["nvidia.com/gpu.product"]);
    }

    [Fact]
    public void Zones_are_assigned_round_robin_and_cpu_nodes_have_no_gpu_resource()
    {
        var pool = ClusterProfiles.Find("aws-gpu")!.Pools.Single(p => p.Name == "general");
        var zones = Enumerable.Range(0, 4).Select(i => NodeFactory.Create(pool, i, Epoch).Metadata.Labels["topology.kubernetes.io/zone"]).ToList();

        Assert.Equal(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1a"], zones);
        Assert.False(NodeFactory.Create(pool, 0, Epoch).Status.Allocatable.ContainsKey(NodeFactory.GpuResource));
        Assert.Null(NodeFactory.Create(pool, 0, Epoch).Spec.Taints);
    }
}
