using k8s.Models;
using Keelson.Sandbox.Scheduling.Plugins;

namespace Keelson.Sandbox.Tests.Scheduling;

public class InterPodAffinityFilterTests
{
    private readonly Keelson.Sandbox.Scheduling.Scheduler scheduler = Build.Only(new InterPodAffinityFilter());

    private static V1Pod Replica(int i) => Build.Pod($"web-{i}", labels: new Dictionary<string, string> { ["app"] = "web" }, spec: s => s.Affinity = new V1Affinity
    {
        PodAntiAffinity = new V1PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Build.Term(Build.Hostname, "web")] },
    });

    [Fact]
    public void Hostname_anti_affinity_puts_three_replicas_on_three_nodes_and_refuses_a_fourth()
    {
        var snapshot = Build.Snapshot(Build.Node("n1"), Build.Node("n2"), Build.Node("n3"));

        var placed = Build.Place(scheduler, snapshot, Enumerable.Range(0, 4).Select(Replica));

        Assert.Equal(["n1", "n2", "n3", null], placed);
        Assert.Equal("0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.", scheduler.Schedule(Replica(9), snapshot).Message);
    }

    [Fact]
    public void Existing_pods_anti_affinity_repels_the_pods_it_selects()
    {
        var snapshot = Build.Snapshot(Build.Node("n1"), Build.Node("n2"));
        var db = Build.Pod("db", spec: s => s.Affinity = new V1Affinity
        {
            PodAntiAffinity = new V1PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Build.Term(Build.Hostname, "noisy")] },
        });
        snapshot.Bind(db, "n1");

        Assert.Equal("n2", scheduler.Schedule(Build.Pod("noisy"), snapshot).NodeName);
        Assert.Equal("n1", scheduler.Schedule(Build.Pod("quiet"), snapshot).NodeName);
        snapshot.RemoveNode("n2");
        Assert.Equal("0/1 nodes are available: 1 node(s) didn't satisfy existing pods anti-affinity rules.", scheduler.Schedule(Build.Pod("noisy"), snapshot).Message);
    }

    [Fact]
    public void Zone_affinity_follows_the_target_and_fails_when_there_is_none()
    {
        var snapshot = Build.Snapshot(Build.Node("a1", zone: "a"), Build.Node("b1", zone: "b"), Build.Node("b2", zone: "b"));
        snapshot.Bind(Build.Pod("cache"), "b2");
        V1Pod Near(string target) => Build.Pod("client", spec: s => s.Affinity = new V1Affinity
        {
            PodAffinity = new V1PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Build.Term(Build.Zone, target)] },
        });

        Assert.Equal(["b1", "b2"], snapshot.Nodes.Where(n => scheduler.Fits(Near("cache"), n, snapshot)).Select(n => n.Metadata.Name));
        Assert.Equal("0/3 nodes are available: 3 node(s) didn't match pod affinity rules.", scheduler.Schedule(Near("missing"), snapshot).Message);
    }

    [Fact]
    public void First_pod_of_a_self_affine_group_is_let_in()
    {
        var snapshot = Build.Snapshot(Build.Node("a1", zone: "a"));
        var pod = Build.Pod("peer-0", labels: new Dictionary<string, string> { ["app"] = "peer" }, spec: s => s.Affinity = new V1Affinity
        {
            PodAffinity = new V1PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Build.Term(Build.Zone, "peer")] },
        });

        Assert.Equal("a1", scheduler.Schedule(pod, snapshot).NodeName);
    }
}
