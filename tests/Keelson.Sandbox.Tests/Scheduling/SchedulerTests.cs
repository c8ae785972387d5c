using k8s.Models;
using Keelson.Sandbox.Nodes;
using Keelson.Sandbox.Scheduling;
using Keelson.Spec.Profiles;

namespace Keelson.Sandbox.Tests.Scheduling;

public class SchedulerTests
{
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static V1Node PoolNode(string pool, int index) =>
        NodeFactory.Create(ClusterProfiles.Find("aws-gpu")!.Pools.Single(p => p.Name == pool), index, Epoch);

    private static ClusterSnapshot AwsGpu() => Build.Snapshot(
        PoolNode("general", 0), PoolNode("general", 1), PoolNode("general", 2),
        PoolNode("gpu-t4", 0), PoolNode("gpu-t4", 1), PoolNode("ingress", 0));

    private static V1Pod GpuPod(string name, bool tolerate = true) => Build.Pod(name, cpu: "1", memory: "4Gi", gpus: 1, spec: s =>
    {
        s.Tolerations = tolerate ? [Build.Tolerate("nvidia.com/gpu", "present", "NoSchedule")] : null;
        s.Affinity = Build.RequiredNodeAffinity([Build.Requirement("node-role.keelson.dev/gpu", "In", "true")]);
    });

    [Fact]
    public void Gpu_pod_lands_only_on_a_gpu_node_and_cpu_pods_never_do()
    {
        var snapshot = AwsGpu();

        var gpu = Build.Place(Scheduler.Default, snapshot, [GpuPod("train-0"), GpuPod("train-1"), GpuPod("train-2")]);
        var cpu = Build.Place(Scheduler.Default, snapshot, Enumerable.Range(0, 20).Select(i => Build.Pod($"api-{i}", cpu: "250m")));

        Assert.Equal(["gpu-t4-000", "gpu-t4-001", null], gpu);
        Assert.All(cpu, n => Assert.StartsWith("general-", n));
    }

    [Fact]
    public void Pod_that_fits_nowhere_gets_reasons_counted_per_node()
    {
        var snapshot = Build.Snapshot(
            Build.Node("cpu-1"), Build.Node("cpu-2"), Build.Node("cpu-3"),
            Build.Node("gpu-1", taints: [Build.GpuTaint]), Build.Node("gpu-2", taints: [Build.GpuTaint]), Build.Node("gpu-3", taints: [Build.GpuTaint]));

        var result = Scheduler.Default.Schedule(Build.Pod("huge", cpu: "6"), snapshot);

        Assert.Null(result.NodeName);
        Assert.Equal("0/6 nodes are available: 3 Insufficient cpu, 3 node(s) had untolerated taint {nvidia.com/gpu: present}.", result.Message);
    }

    [Fact]
    public void Gpu_pod_without_a_toleration_is_told_about_each_kind_of_node()
    {
        var result = Scheduler.Default.Schedule(GpuPod("train", tolerate: false), AwsGpu());

        Assert.Equal(
            "0/6 nodes are available: 1 node(s) had untolerated taint {node-role.keelson.dev/ingress: true}, "
            + "2 node(s) had untolerated taint {nvidia.com/gpu: present}, 3 node(s) didn't match Pod's node affinity/selector.",
            result.Message);
    }

    [Fact]
    public void Same_pods_and_nodes_give_the_same_placements_whatever_the_node_order()
    {
        static List<V1Pod> Workload() => [.. Enumerable.Range(0, 60).Select(i => Build.Pod($"w{i}", cpu: $"{100 + (i % 7 * 50)}m",
            labels: new Dictionary<string, string> { ["app"] = $"app{i % 3}" },
            spec: s => s.TopologySpreadConstraints = [Build.Spread(Build.Zone, $"app{i % 3}"), Build.Spread(Build.Hostname, $"app{i % 3}", "ScheduleAnyway")]))];
        var nodes = Enumerable.Range(0, 9).Select(i => Build.Node($"n{i}", zone: $"z{i % 3}")).ToList();

        var first = Build.Place(Scheduler.Default, Build.Snapshot([.. nodes]), Workload());
        var again = Build.Place(Scheduler.Default, Build.Snapshot([.. nodes]), Workload());
        var reversed = Build.Place(Scheduler.Default, Build.Snapshot([.. Enumerable.Reverse(nodes)]), Workload());

        Assert.All(first, Assert.NotNull);
        Assert.True(first.Distinct().Count() > 3);
        Assert.Equal(first, again);
        Assert.Equal(first, reversed);
    }

    [Fact]
    public void Fits_judges_a_template_node_that_is_not_in_the_snapshot_and_leaves_the_snapshot_as_it_was()
    {
        var snapshot = Build.Snapshot(PoolNode("general", 0));
        var template = PoolNode("gpu-t4", 99);

        Assert.True(Scheduler.Default.Fits(GpuPod("train"), template, snapshot));
        Assert.False(Scheduler.Default.Fits(GpuPod("train", tolerate: false), template, snapshot));
        Assert.False(Scheduler.Default.Fits(GpuPod("train"), snapshot.Nodes.Single(), snapshot));
        Assert.Equal(["general-000"], snapshot.Nodes.Select(n => n.Metadata.Name));
    }

    [Fact]
    public void Fits_counts_a_template_node_as_a_new_empty_hostname_domain_for_that_question_only()
    {
        var snapshot = Build.Snapshot(Build.Node("n1", zone: "a"), Build.Node("n2", zone: "a"));
        V1Pod Replica(int i) => Build.Pod($"r{i}", labels: new Dictionary<string, string> { ["app"] = "r" },
            spec: s => s.TopologySpreadConstraints = [Build.Spread(Build.Hostname, "r")]);
        snapshot.Bind(Replica(0), "n1");
        snapshot.Bind(Replica(1), "n1");
        snapshot.Bind(Replica(2), "n2");
        var n1 = snapshot.FindNode("n1")!.Node;
        var n2 = snapshot.FindNode("n2")!.Node;

        Assert.False(Scheduler.Default.Fits(Replica(3), n1, snapshot));
        Assert.True(Scheduler.Default.Fits(Replica(3), n2, snapshot));
        Assert.True(Scheduler.Default.Fits(Replica(3), Build.Node("template", zone: "a"), snapshot));
        Assert.True(Scheduler.Default.Fits(Replica(3), n2, snapshot));
        Assert.Equal(2, snapshot.Nodes.Count);
    }
}
