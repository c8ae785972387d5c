using k8s.Models;
using Keelson.Sandbox.Scheduling.Plugins;

namespace Keelson.Sandbox.Tests.Scheduling;

public class NodeResourcesFitFilterTests
{
    private readonly Keelson.Sandbox.Scheduling.Scheduler scheduler = Build.Only(new NodeResourcesFitFilter());

    [Fact]
    public void Pod_fits_until_the_node_cpu_is_used_up()
    {
        var snapshot = Build.Snapshot(Build.Node("n1", cpu: "1"));

        var placed = Build.Place(scheduler, snapshot, Enumerable.Range(0, 3).Select(i => Build.Pod($"p{i}", cpu: "400m")));

        Assert.Equal(["n1", "n1", null], placed);
        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu.", scheduler.Schedule(Build.Pod("p9", cpu: "400m"), snapshot).Message);
    }

    [Fact]
    public void Every_short_resource_is_reported_and_pod_slots_count()
    {
        var snapshot = Build.Snapshot(Build.Node("n1", cpu: "1", memory: "1Gi", pods: 1));
        snapshot.Bind(Build.Pod("first", cpu: "10m", memory: "1Mi"), "n1");

        var result = scheduler.Schedule(Build.Pod("big", cpu: "2", memory: "2Gi"), snapshot);

        Assert.Null(result.NodeName);
        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 Too many pods.", result.Message);
    }

    [Fact]
    public void Gpu_request_given_only_as_a_limit_needs_a_gpu_node()
    {
        var snapshot = Build.Snapshot(Build.Node("cpu"), Build.Node("gpu", gpus: 1));
        var pod = Build.Pod("train", gpus: 1);

        Assert.False(scheduler.Fits(pod, snapshot.FindNode("cpu")!.Node, snapshot));
        Assert.True(scheduler.Fits(pod, snapshot.FindNode("gpu")!.Node, snapshot));
        snapshot.Bind(pod, "gpu");
        Assert.Equal("0/2 nodes are available: 2 Insufficient nvidia.com/gpu.", scheduler.Schedule(Build.Pod("train-2", gpus: 1), snapshot).Message);
    }

    [Fact]
    public void Requests_are_the_larger_of_the_containers_sum_and_the_init_peak_plus_sidecars_and_overhead()
    {
        var snapshot = Build.Snapshot(Build.Node("n1", cpu: "2"));
        var pod = Build.Pod("p", cpu: "300m", spec: s =>
        {
            s.Containers.Add(new V1Container { Name = "second", Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("200m") } } });
            s.InitContainers =
            [
                new V1Container { Name = "sidecar", RestartPolicy = "Always", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m") } } },
                new V1Container { Name = "migrate", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("700m") } } },
            ];
            s.Overhead = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("50m") };
        });

        var info = snapshot.Describe(pod);

        // containers 300m + 200m (limit only) + sidecar 100m = 600m; init peak 700m + sidecar 100m = 800m; + 50m overhead.
        Assert.Equal(850, info.MilliCpu);
        snapshot.Bind(pod, "n1");
        Assert.Equal(850, snapshot.FindNode("n1")!.RequestedMilliCpu);
    }
}
