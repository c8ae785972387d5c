using k8s;
using k8s.Models;
using Keelson.Sandbox.Scheduling;

namespace Keelson.Sandbox.Tests.Scheduling;

/// <summary>
/// The capacity check a deployment runs before applying, on the small cluster: 4-vCPU general nodes have 3,920 m
/// allocatable, so two 1.5-CPU pods fit a node.
/// </summary>
public class CapacityForecastTests
{
    private const string Web = "web";

    [Fact]
    public async Task Pods_that_fit_with_nodes_the_autoscaler_may_add_are_a_fit_that_counts_the_nodes()
    {
        var cluster = Cluster(generalMax: 3);

        var forecast = await ForecastAsync(cluster, Web, Small.Deployment("batch", 6, cpu: "1500m"));

        Assert.True(forecast.Fits);
        Assert.Equal((6, 2), (forecast.Pods, forecast.PlannedNodes));
        Assert.Equal("6 pods fit (2 nodes to be added by the autoscaler)", forecast.Describe());
    }

    [Fact]
    public async Task Pods_beyond_the_pools_maximum_name_the_pool_its_limit_the_workload_and_what_is_missing()
    {
        var cluster = Cluster(generalMax: 3);

        var forecast = await ForecastAsync(cluster, Web, Small.Deployment("batch", 8, cpu: "1500m"));

        var shortfall = Assert.Single(forecast.Shortfalls);
        Assert.Equal(("general", 3, 3, 2, 3000L, 512L * 1024 * 1024, 0L), (shortfall.Pool, shortfall.Nodes, shortfall.MaxNodes, shortfall.Pods, shortfall.CpuMillis, shortfall.MemoryBytes, shortfall.Gpus));
        Assert.Equal("pool general is at 3 of its maximum 3 nodes: 2 pod(s) do not fit (Deployment/batch ×2), missing 3 CPU, 0.5 GiB memory", forecast.Describe());
    }

    [Fact]
    public async Task Other_namespaces_pods_take_their_room_and_the_namespaces_own_pods_are_replaced()
    {
        var cluster = Cluster(generalMax: 3);
        cluster.Apply(Small.Deployment("hog", 4, cpu: "1500m"));
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(2, cluster.Engine.Store.List<V1Node>().Count());

        // Four more 1.5-CPU pods need two nodes beside the hog's two; only one may be added.
        var elsewhere = await ForecastAsync(cluster, Web, Small.Deployment("web", 4, cpu: "1500m"));
        Assert.Equal(2, Assert.Single(elsewhere.Shortfalls).Pods);

        // In the hog's own namespace the new pods replace its four, so six fit on three nodes.
        var replacing = await ForecastAsync(cluster, Small.Ns, Small.Deployment("hog", 6, cpu: "1500m"));
        Assert.True(replacing.Fits, replacing.Describe());
    }

    [Fact]
    public async Task Pods_already_waiting_elsewhere_are_ahead_in_line()
    {
        var cluster = Cluster(generalMax: 3);
        cluster.Apply(Small.Deployment("queued", 6, cpu: "1500m"));
        cluster.Engine.Advance(TimeSpan.FromSeconds(1));
        Assert.Contains(cluster.Engine.Store.List<V1Pod>(Small.Ns), p => p.Spec.NodeName is null);

        var forecast = await ForecastAsync(cluster, Web, Small.Deployment("late", 1, cpu: "1500m"));

        Assert.Equal("late", Assert.Single(Assert.Single(forecast.Shortfalls).Workloads).Workload.Split('/')[1]);
    }

    [Fact]
    public async Task A_pod_no_node_of_any_pool_can_hold_names_no_pool_and_gpu_pods_go_to_the_gpu_pool()
    {
        var cluster = Cluster(generalMax: 3);
        var huge = Small.Deployment("huge", 1, cpu: "8");
        var gpu = Small.Deployment("infer", 3, cpu: "1");
        gpu.Spec.Template.Spec.Containers[0].Resources.Limits["nvidia.com/gpu"] = new ResourceQuantity("1");
        gpu.Spec.Template.Spec.Tolerations = [new V1Toleration { Key = "nvidia.com/gpu", OperatorProperty = "Exists", Effect = "NoSchedule" }];

        var forecast = await ForecastAsync(cluster, Web, huge, gpu);

        // The GPU pool has at most two one-GPU nodes: the third GPU pod is short of a GPU there.
        Assert.Equal(2, forecast.Shortfalls.Count);
        var none = forecast.Shortfalls.Single(s => s.Pool is null);
        Assert.Equal(("Deployment/huge", 1, 8000L), (none.Workloads[0].Workload, none.Pods, none.CpuMillis));
        Assert.StartsWith("no node of any pool can hold 1 pod(s) (Deployment/huge ×1)", none.Describe(), StringComparison.Ordinal);
        var gpus = forecast.Shortfalls.Single(s => s.Pool == "gpu");
        Assert.Equal((2, 2, 1, 1L), (gpus.Nodes, gpus.MaxNodes, gpus.Pods, gpus.Gpus));
        Assert.EndsWith("missing 1 CPU, 0.3 GiB memory, 1 GPU", gpus.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_cluster_and_objects_give_the_same_answer()
    {
        var cluster = Cluster(generalMax: 3);
        cluster.Apply(Small.Deployment("queued", 5, cpu: "700m"));
        cluster.Engine.Advance(TimeSpan.FromSeconds(1));

        var first = await ForecastAsync(cluster, Web, Small.Deployment("a", 7, cpu: "1100m"), Small.Deployment("b", 3, cpu: "900m"));
        var second = await ForecastAsync(cluster, Web, Small.Deployment("a", 7, cpu: "1100m"), Small.Deployment("b", 3, cpu: "900m"));

        Assert.False(first.Fits);
        Assert.Equal(first.Describe(), second.Describe());
    }

    private static SandboxCluster Cluster(int generalMax) => Small.Cluster(Small.Profile(generalMin: 1, generalMax: generalMax));

    private static Task<CapacityForecast> ForecastAsync(SandboxCluster cluster, string ns, params V1Deployment[] deployments)
    {
        foreach (var deployment in deployments)
        {
            deployment.Metadata.NamespaceProperty = ns;
        }

        return CapacityForecast.ReadAsync(cluster, cluster.Engine.Profile, ns, deployments.Cast<IKubernetesObject<V1ObjectMeta>>(), CancellationToken.None);
    }
}
