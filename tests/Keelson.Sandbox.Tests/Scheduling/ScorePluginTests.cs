using k8s.Models;
using Keelson.Sandbox.Scheduling;
using Keelson.Sandbox.Scheduling.Plugins;

namespace Keelson.Sandbox.Tests.Scheduling;

public class LeastAllocatedScoreTests
{
    [Fact]
    public void Emptier_node_wins_over_the_first_name()
    {
        var snapshot = Build.Snapshot(Build.Node("a"), Build.Node("b"));
        snapshot.Bind(Build.Pod("busy", cpu: "2", memory: "8Gi"), "a");

        Assert.Equal("b", new Scheduler([], [new LeastAllocatedScore()]).Schedule(Build.Pod("p"), snapshot).NodeName);
        snapshot.Unbind(Build.Pod("busy"));
        snapshot.Bind(Build.Pod("busy", cpu: "2", memory: "8Gi"), "b");
        Assert.Equal("a", new Scheduler([], [new LeastAllocatedScore()]).Schedule(Build.Pod("p"), snapshot).NodeName);
    }
}

public class BalancedAllocationScoreTests
{
    [Fact]
    public void Node_used_evenly_wins_over_one_short_of_cpu_but_not_over_a_better_balance()
    {
        var snapshot = Build.Snapshot(Build.Node("a"), Build.Node("b"));
        snapshot.Bind(Build.Pod("cpu-heavy", cpu: "3", memory: "1Gi"), "a");
        snapshot.Bind(Build.Pod("even", cpu: "1", memory: "4Gi"), "b");
        var scheduler = new Scheduler([], [new BalancedAllocationScore()]);

        Assert.Equal("b", scheduler.Schedule(Build.Pod("p"), snapshot).NodeName);
        Assert.Equal("a", scheduler.Schedule(Build.Pod("memory-heavy", cpu: "100m", memory: "10Gi"), snapshot).NodeName);
    }
}

public class NodeAffinityScoreTests
{
    [Fact]
    public void Heavier_preferred_term_wins()
    {
        var snapshot = Build.Snapshot(
            Build.Node("a"),
            Build.Node("b", labels: new Dictionary<string, string> { ["disk"] = "hdd" }),
            Build.Node("c", labels: new Dictionary<string, string> { ["disk"] = "ssd" }));
        V1Pod Preferring(int ssd, int hdd) => Build.Pod("p", spec: s => s.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                PreferredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1PreferredSchedulingTerm { Weight = ssd, Preference = new V1NodeSelectorTerm { MatchExpressions = [Build.Requirement("disk", "In", "ssd")] } },
                    new V1PreferredSchedulingTerm { Weight = hdd, Preference = new V1NodeSelectorTerm { MatchExpressions = [Build.Requirement("disk", "In", "hdd")] } },
                ],
            },
        });
        var scheduler = new Scheduler([], [new NodeAffinityScore()]);

        Assert.Equal("c", scheduler.Schedule(Preferring(ssd: 80, hdd: 20), snapshot).NodeName);
        Assert.Equal("b", scheduler.Schedule(Preferring(ssd: 20, hdd: 80), snapshot).NodeName);
    }
}

public class PodTopologySpreadScoreTests
{
    [Fact]
    public void Schedule_anyway_spreads_over_hostnames_and_never_refuses()
    {
        var snapshot = Build.Snapshot(Build.Node("n1"), Build.Node("n2"), Build.Node("n3"));
        var pods = Enumerable.Range(0, 4).Select(i => Build.Pod($"w{i}", labels: new Dictionary<string, string> { ["app"] = "w" },
            spec: s => s.TopologySpreadConstraints = [Build.Spread(Build.Hostname, "w", when: "ScheduleAnyway")]));

        var placed = Build.Place(new Scheduler([new PodTopologySpreadFilter()], [new PodTopologySpreadScore()]), snapshot, pods);

        Assert.Equal(["n1", "n2", "n3", "n1"], placed);
    }
}

public class InterPodAffinityScoreTests
{
    [Theory]
    [InlineData(-1, "n2")]
    [InlineData(1, "n3")]
    public void Preferred_anti_affinity_avoids_and_affinity_joins_the_selected_pods(int sign, string expected)
    {
        var snapshot = Build.Snapshot(Build.Node("n1"), Build.Node("n2"), Build.Node("n3"));
        snapshot.Bind(Build.Pod("web-0", labels: new Dictionary<string, string> { ["app"] = "web" }), "n3");
        snapshot.Bind(Build.Pod("web-1", labels: new Dictionary<string, string> { ["app"] = "web" }), "n3");
        snapshot.Bind(Build.Pod("web-2", labels: new Dictionary<string, string> { ["app"] = "web" }), "n1");
        var term = new V1WeightedPodAffinityTerm { Weight = 50, PodAffinityTerm = Build.Term(Build.Hostname, "web") };
        var pod = Build.Pod("p", spec: s => s.Affinity = sign < 0
            ? new V1Affinity { PodAntiAffinity = new V1PodAntiAffinity { PreferredDuringSchedulingIgnoredDuringExecution = [term] } }
            : new V1Affinity { PodAffinity = new V1PodAffinity { PreferredDuringSchedulingIgnoredDuringExecution = [term] } });

        Assert.Equal(expected, new Scheduler([], [new InterPodAffinityScore()]).Schedule(pod, snapshot).NodeName);
    }
}
