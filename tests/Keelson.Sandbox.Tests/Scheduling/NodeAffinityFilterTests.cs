using Keelson.Sandbox.Scheduling.Plugins;

namespace Keelson.Sandbox.Tests.Scheduling;

public class NodeAffinityFilterTests
{
    private readonly Keelson.Sandbox.Scheduling.Scheduler scheduler = Build.Only(new NodeAffinityFilter());

    private readonly Keelson.Sandbox.Scheduling.ClusterSnapshot snapshot = Build.Snapshot(
        Build.Node("small", labels: new Dictionary<string, string> { ["size"] = "2", ["pool"] = "general" }),
        Build.Node("large", labels: new Dictionary<string, string> { ["size"] = "16", ["pool"] = "general", ["gpu"] = "t4" }),
        Build.Node("bare"));

    [Theory]
    [InlineData("In", "pool", "general", "small,large")]
    [InlineData("NotIn", "pool", "general", "bare")]
    [InlineData("Exists", "gpu", null, "large")]
    [InlineData("DoesNotExist", "gpu", null, "small,bare")]
    [InlineData("Gt", "size", "4", "large")]
    [InlineData("Lt", "size", "4", "small")]
    public void Each_operator_selects_the_nodes_Kubernetes_would(string op, string key, string? value, string expected)
    {
        var requirement = value is null ? Build.Requirement(key, op) : Build.Requirement(key, op, value);
        var pod = Build.Pod("p", spec: s => s.Affinity = Build.RequiredNodeAffinity([requirement]));

        var fitting = snapshot.Nodes.Where(n => scheduler.Fits(pod, n, snapshot)).Select(n => n.Metadata.Name);

        Assert.Equal(expected.Split(','), fitting);
    }

    [Fact]
    public void Terms_are_ored_and_expressions_within_a_term_anded()
    {
        var pod = Build.Pod("p", spec: s => s.Affinity = Build.RequiredNodeAffinity(
            [Build.Requirement("pool", "In", "general"), Build.Requirement("size", "Lt", "4")],
            [Build.Requirement("gpu", "In", "l40s")]));

        Assert.Equal(["small"], snapshot.Nodes.Where(n => scheduler.Fits(pod, n, snapshot)).Select(n => n.Metadata.Name));
    }

    [Fact]
    public void No_matching_node_gives_the_affinity_reason()
    {
        var pod = Build.Pod("p", spec: s => s.Affinity = Build.RequiredNodeAffinity([Build.Requirement("gpu", "In", "a100")]));

        Assert.Equal("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.", scheduler.Schedule(pod, snapshot).Message);
    }
}
