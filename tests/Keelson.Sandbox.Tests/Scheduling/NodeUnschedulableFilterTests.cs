using Keelson.Sandbox.Scheduling.Plugins;

namespace Keelson.Sandbox.Tests.Scheduling;

public class NodeUnschedulableFilterTests
{
    private readonly Keelson.Sandbox.Scheduling.Scheduler scheduler = Build.Only(new NodeUnschedulableFilter());

    [Fact]
    public void Cordoned_node_takes_no_new_pods()
    {
        var snapshot = Build.Snapshot(Build.Node("n1", unschedulable: true), Build.Node("n2"));

        Assert.Equal("n2", scheduler.Schedule(Build.Pod("p"), snapshot).NodeName);
        snapshot.RemoveNode("n2");
        Assert.Equal("0/1 nodes are available: 1 node(s) were unschedulable.", scheduler.Schedule(Build.Pod("p"), snapshot).Message);
    }

    [Fact]
    public void Pod_tolerating_the_unschedulable_taint_may_still_land()
    {
        var snapshot = Build.Snapshot(Build.Node("n1", unschedulable: true));
        var pod = Build.Pod("ds", spec: s => s.Tolerations = [Build.Tolerate("node.kubernetes.io/unschedulable", effect: "NoSchedule")]);

        Assert.Equal("n1", scheduler.Schedule(pod, snapshot).NodeName);
    }
}
