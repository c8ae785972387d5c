using Keelson.Sandbox.Scheduling.Plugins;

namespace Keelson.Sandbox.Tests.Scheduling;

public class NodeNameFilterTests
{
    private readonly Keelson.Sandbox.Scheduling.Scheduler scheduler = Build.Only(new NodeNameFilter());

    [Fact]
    public void Pod_naming_a_node_goes_there_and_nowhere_else()
    {
        var snapshot = Build.Snapshot(Build.Node("a"), Build.Node("b"), Build.Node("c"));

        Assert.Equal("b", scheduler.Schedule(Build.Pod("p", spec: s => s.NodeName = "b"), snapshot).NodeName);
        var missing = scheduler.Schedule(Build.Pod("q", spec: s => s.NodeName = "z"), snapshot);
        Assert.Null(missing.NodeName);
        Assert.Equal("0/3 nodes are available: 3 node(s) didn't match the requested node name.", missing.Message);
    }
}
