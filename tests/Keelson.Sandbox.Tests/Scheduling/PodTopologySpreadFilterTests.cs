using Keelson.Sandbox.Scheduling;
using Keelson.Sandbox.Scheduling.Plugins;

namespace Keelson.Sandbox.Tests.Scheduling;

public class PodTopologySpreadFilterTests
{
    private static ClusterSnapshot ThreeZones() => Build.Snapshot(
        Build.Node("a1", zone: "a"), Build.Node("a2", zone: "a"),
        Build.Node("b1", zone: "b"), Build.Node("b2", zone: "b"),
        Build.Node("c1", zone: "c"), Build.Node("c2", zone: "c"));

    private static k8s.Models.V1Pod Web(int i) => Build.Pod($"web-{i}", labels: new Dictionary<string, string> { ["app"] = "web" },
        spec: s => s.TopologySpreadConstraints = [Build.Spread(Build.Zone, "web")]);

    [Fact]
    public void Max_skew_one_over_three_zones_places_six_pods_two_per_zone()
    {
        var snapshot = ThreeZones();

        // No scores: without the filter every pod would go to a1, the first name.
        var placed = Build.Place(Build.Only(new PodTopologySpreadFilter()), snapshot, Enumerable.Range(0, 6).Select(Web));

        Assert.All(placed, Assert.NotNull);
        Assert.Equal([2, 2, 2], placed.GroupBy(n => n![0]).OrderBy(g => g.Key).Select(g => g.Count()));
    }

    [Fact]
    public void Pod_held_to_a_fuller_zone_is_refused_when_the_skew_would_exceed_max_skew()
    {
        var snapshot = ThreeZones();
        snapshot.Bind(Web(0), "a1");
        snapshot.Bind(Web(1), "b1");
        var pod = Web(2);
        pod.Spec.NodeSelector = new Dictionary<string, string> { [Build.Zone] = "a" };
        pod.Spec.TopologySpreadConstraints[0].NodeAffinityPolicy = "Ignore";
        var scheduler = new Scheduler([new NodeSelectorFilter(), new PodTopologySpreadFilter()], []);

        var result = scheduler.Schedule(pod, snapshot);

        Assert.Null(result.NodeName);
        Assert.Equal("0/6 nodes are available: 2 node(s) didn't match pod topology spread constraints, 4 node(s) didn't match Pod's node affinity/selector.", result.Message);
    }

    [Fact]
    public void Min_domains_above_the_domains_present_caps_each_domain_at_max_skew()
    {
        var snapshot = Build.Snapshot(Build.Node("a1", zone: "a"), Build.Node("b1", zone: "b"));
        var pods = Enumerable.Range(0, 3).Select(i => Build.Pod($"p{i}", labels: new Dictionary<string, string> { ["app"] = "web" },
            spec: s => s.TopologySpreadConstraints = [MinDomains(Build.Spread(Build.Zone, "web"), 3)])).ToList();

        var placed = Build.Place(Build.Only(new PodTopologySpreadFilter()), snapshot, pods);

        Assert.Equal(["a1", "b1", null], placed);
    }

    [Fact]
    public void Node_without_the_topology_label_is_refused_with_the_missing_label_reason()
    {
        var snapshot = Build.Snapshot(Build.Node("unlabelled"));

        var result = Build.Only(new PodTopologySpreadFilter()).Schedule(Web(0), snapshot);

        Assert.Equal("0/1 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label).", result.Message);
    }

    private static k8s.Models.V1TopologySpreadConstraint MinDomains(k8s.Models.V1TopologySpreadConstraint constraint, int minDomains)
    {
        constraint.MinDomains = minDomains;
        return constraint;
    }
}
