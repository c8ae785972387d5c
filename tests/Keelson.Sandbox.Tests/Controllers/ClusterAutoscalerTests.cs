using k8s.Models;
using Keelson.Sandbox.Controllers;
using Keelson.Sandbox.Engine;

namespace Keelson.Sandbox.Tests.Controllers;

public class ClusterAutoscalerTests
{
    [Fact]
    public void Adds_nodes_for_pending_pods_up_to_the_pool_maximum_then_leaves_the_rest_pending()
    {
        // 4-vCPU nodes have 3,920 m allocatable: two 1.5-CPU pods per node.
        var cluster = Small.Cluster(Small.Profile(generalMin: 1, generalMax: 3));
        cluster.Apply(Small.Deployment("batch", 6, cpu: "1500m"));
        cluster.Engine.Advance(TimeSpan.FromSeconds(5));
        Assert.Single(Nodes(cluster, "general"));
        Assert.Equal(4, Small.Pods(cluster, "batch").Count(p => p.Spec.NodeName is null));

        cluster.Engine.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(3, Nodes(cluster, "general").Count);
        Assert.Empty(Nodes(cluster, "gpu"));
        Assert.Equal(6, Small.Pods(cluster, "batch").Count(Pods.IsReady));

        cluster.Apply(Small.Deployment("batch", 7, cpu: "1500m"));
        cluster.Engine.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(3, Nodes(cluster, "general").Count);
        var pending = Assert.Single(Small.Pods(cluster, "batch"), p => p.Spec.NodeName is null);
        Assert.Contains("Insufficient cpu", pending.Status.Conditions.Single(c => c.Type == "PodScheduled").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Removes_unneeded_nodes_after_the_delay_but_not_below_the_minimum()
    {
        var cluster = Small.Cluster(Small.Profile(generalMin: 1, generalMax: 3));
        cluster.Apply(Small.Deployment("batch", 6, cpu: "1500m"));
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(3, Nodes(cluster, "general").Count);

        cluster.Apply(Small.Deployment("batch", 1, cpu: "1500m"));
        cluster.Engine.Advance(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(5));
        Assert.Equal(3, Nodes(cluster, "general").Count);

        cluster.Engine.Advance(TimeSpan.FromMinutes(40), TimeSpan.FromSeconds(5));
        Assert.Single(Nodes(cluster, "general"));
        Assert.Single(Small.Pods(cluster, "batch"), Pods.IsReady);
    }

    [Fact]
    public void Gpu_pods_bring_up_gpu_nodes_only()
    {
        var cluster = Small.Cluster();
        var deployment = Small.Deployment("infer", 2, cpu: "1");
        var container = deployment.Spec.Template.Spec.Containers[0];
        container.Resources.Limits["nvidia.com/gpu"] = new ResourceQuantity("1");
        deployment.Spec.Template.Spec.Tolerations = [new V1Toleration { Key = "nvidia.com/gpu", OperatorProperty = "Exists", Effect = "NoSchedule" }];
        cluster.Apply(deployment);
        cluster.Engine.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(2, Nodes(cluster, "gpu").Count);
        Assert.Equal(2, Nodes(cluster, "general").Count);
        Assert.All(Small.Pods(cluster, "infer"), p => Assert.StartsWith("gpu-", p.Spec.NodeName, StringComparison.Ordinal));
    }

    [Fact]
    public void Pods_spread_across_zones_get_nodes_in_the_zone_their_constraint_allows()
    {
        // Two nodes (zone-a, zone-b) hold four pods; of the two more, DoNotSchedule with maxSkew 1 lets only one
        // go to each zone, so the autoscaler must bring up one node per zone, not two in the first zone it tries.
        var cluster = Small.Cluster(Small.Profile(generalMin: 2, generalMax: 4));
        var deployment = Small.Deployment("web", 6, cpu: "1500m");
        deployment.Spec.Template.Spec.TopologySpreadConstraints =
        [
            new V1TopologySpreadConstraint
            {
                MaxSkew = 1,
                TopologyKey = "topology.kubernetes.io/zone",
                WhenUnsatisfiable = "DoNotSchedule",
                LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            },
        ];
        cluster.Apply(deployment);
        cluster.Engine.Advance(TimeSpan.FromMinutes(3));

        var pods = Small.Pods(cluster, "web");
        Assert.Equal(6, pods.Count(Pods.IsReady));
        var zones = pods.GroupBy(p => cluster.Engine.Store.Get<V1Node>(null, p.Spec.NodeName)!.Metadata.Labels["topology.kubernetes.io/zone"]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, zones["zone-a"]);
        Assert.Equal(3, zones["zone-b"]);
        Assert.Equal(4, Nodes(cluster, "general").Count);
    }

    private static List<V1Node> Nodes(SandboxCluster cluster, string pool) =>
        [.. cluster.Engine.Store.List<V1Node>().Where(n => ClusterAutoscaler.PoolOf(n) == pool)];
}
