using Keelson.Sandbox.Scheduling.Plugins;

namespace Keelson.Sandbox.Tests.Scheduling;

public class NodeSelectorFilterTests
{
    private readonly Keelson.Sandbox.Scheduling.Scheduler scheduler = Build.Only(new NodeSelectorFilter());

    [Fact]
    public void Every_selector_label_must_be_on_the_node()
    {
        var snapshot = Build.Snapshot(
            Build.Node("plain"),
            Build.Node("ingress", labels: new Dictionary<string, string> { ["role"] = "ingress" }),
            Build.Node("ingress-ssd", labels: new Dictionary<string, string> { ["role"] = "ingress", ["disk"] = "ssd" }));

        var pod = Build.Pod("p", spec: s => s.NodeSelector = new Dictionary<string, string> { ["role"] = "ingress", ["disk"] = "ssd" });
        Assert.Equal("ingress-ssd", scheduler.Schedule(pod, snapshot).NodeName);

        var none = Build.Pod("q", spec: s => s.NodeSelector = new Dictionary<string, string> { ["role"] = "db" });
        Assert.Equal("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.", scheduler.Schedule(none, snapshot).Message);
    }
}
