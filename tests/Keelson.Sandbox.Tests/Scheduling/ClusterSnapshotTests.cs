using Keelson.Sandbox.Scheduling;
using Keelson.Sandbox.Scheduling.Plugins;

namespace Keelson.Sandbox.Tests.Scheduling;

public class ClusterSnapshotTests
{
    [Fact]
    public void Unbind_frees_the_resources_and_the_spread_count()
    {
        var snapshot = Build.Snapshot(Build.Node("n1", cpu: "1", zone: "a"), Build.Node("n2", cpu: "1", zone: "b"));
        var pod = Build.Pod("p", cpu: "800m");
        snapshot.Bind(pod, "n1");
        Assert.Equal(800, snapshot.FindNode("n1")!.RequestedMilliCpu);

        snapshot.Unbind(Build.Pod("p"));

        Assert.Equal(0, snapshot.FindNode("n1")!.RequestedMilliCpu);
        Assert.Equal(0, snapshot.FindNode("n1")!.PodCount);
        Assert.Null(snapshot.NodeOf("default", "p"));
    }

    [Fact]
    public void Removing_a_node_drops_its_pods_and_binding_twice_is_refused()
    {
        var snapshot = Build.Snapshot(Build.Node("n1"), Build.Node("n2"));
        snapshot.Bind(Build.Pod("a", labels: new Dictionary<string, string> { ["app"] = "x" }), "n1");
        Assert.Throws<InvalidOperationException>(() => snapshot.Bind(Build.Pod("a"), "n2"));
        Assert.Throws<InvalidOperationException>(() => snapshot.Bind(Build.Pod("b"), "gone"));

        snapshot.RemoveNode("n1");

        Assert.Null(snapshot.NodeOf("default", "a"));
        var anti = Build.Pod("c", labels: new Dictionary<string, string> { ["app"] = "x" }, spec: s => s.Affinity = new k8s.Models.V1Affinity
        {
            PodAntiAffinity = new k8s.Models.V1PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Build.Term(Build.Hostname, "x")] },
        });
        Assert.Equal("n2", Scheduler.Default.Schedule(anti, snapshot).NodeName);
    }

    [Fact]
    public void Adding_a_node_again_replaces_it_and_keeps_its_pods()
    {
        var snapshot = Build.Snapshot(Build.Node("n1", cpu: "2"));
        snapshot.Bind(Build.Pod("a", cpu: "1500m"), "n1");

        snapshot.AddNode(Build.Node("n1", cpu: "2", unschedulable: true));

        Assert.Equal("n1", snapshot.NodeOf("default", "a"));
        Assert.Equal(1500, snapshot.FindNode("n1")!.RequestedMilliCpu);
        Assert.False(Build.Only(new NodeUnschedulableFilter()).Fits(Build.Pod("b"), snapshot.Nodes.Single(), snapshot));
    }
}
