using BenchmarkDotNet.Attributes;
using k8s.Models;
using Keelson.Sandbox.Nodes;
using Keelson.Sandbox.Scheduling;
using Keelson.Spec.Profiles;

namespace Keelson.Bench;

/// <summary>
/// Scheduling and binding 10,000 pods onto 1,000 <c>aws-gpu</c> nodes (700 general, 100 ingress, 200 GPU across
/// three GPU pools), into a fresh snapshot each time. The pods are a mix: CPU Deployments spread over zones
/// (DoNotSchedule) and hostnames (ScheduleAnyway), GPU pods with a toleration and node affinity, and ingress pods
/// with a toleration, a nodeSelector and hostname anti-affinity.
/// </summary>
[MemoryDiagnoser]
public class ScheduleBenchmarks
{
    /// <summary>Pods scheduled per operation.</summary>
    public const int Pods = 10_000;

    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private List<V1Node> nodes = [];
    private List<V1Pod> pods = [];

    /// <summary>Builds the nodes and pods once and checks that every pod finds a node.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var pools = ClusterProfiles.Get("aws-gpu").Pools.ToDictionary(p => p.Name);
        nodes =
        [
            .. Enumerable.Range(0, 700).Select(i => NodeFactory.Create(pools["general"], i, Epoch)),
            .. Enumerable.Range(0, 100).Select(i => NodeFactory.Create(pools["ingress"], i, Epoch)),
            .. Enumerable.Range(0, 80).Select(i => NodeFactory.Create(pools["gpu-t4"], i, Epoch)),
            .. Enumerable.Range(0, 60).Select(i => NodeFactory.Create(pools["gpu-v100"], i, Epoch)),
            .. Enumerable.Range(0, 60).Select(i => NodeFactory.Create(pools["gpu-l40s"], i, Epoch)),
        ];
        pods = Workload();
        var unscheduled = pods.Count - ScheduleAll();
        if (unscheduled != 0)
        {
            throw new InvalidOperationException($"{unscheduled} of {pods.Count} pods found no node; the benchmark would measure failures.");
        }
    }

    /// <summary>Adds the nodes to a fresh snapshot, then schedules and binds every pod in turn.</summary>
    [Benchmark]
    public int ScheduleTenThousandPods() => ScheduleAll();

    private int ScheduleAll()
    {
        var snapshot = new ClusterSnapshot();
        foreach (var node in nodes)
        {
            snapshot.AddNode(node);
        }

        var placed = 0;
        foreach (var pod in pods)
        {
            if (Scheduler.Default.Schedule(pod, snapshot).NodeName is { } node)
            {
                snapshot.Bind(pod, node);
                placed++;
            }
        }

        return placed;
    }

    /// <summary>180 GPU pods, 600 ingress pods, the rest CPU pods in Deployments of 20 across 50 namespaces.</summary>
    private static List<V1Pod> Workload()
    {
        var result = new List<V1Pod>(Pods);
        string[] products = ["Tesla-T4", "Tesla-V100-SXM2-16GB", "NVIDIA-L40S"];
        for (var i = 0; i < 180; i++)
        {
            result.Add(Pod($"train-{i}", "gpu", $"train-{i / 10}", "2", "8Gi", gpus: 1, spec: s =>
            {
                s.Tolerations = [new V1Toleration { Key = "nvidia.com/gpu", OperatorProperty = "Exists", Effect = "NoSchedule" }];
                s.Affinity = new V1Affinity
                {
                    NodeAffinity = new V1NodeAffinity
                    {
                        RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                        {
                            NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "nvidia.com/gpu.product", OperatorProperty = "In", Values = [products[i / 10 % 3]] }] }],
                        },
                    },
                };
            }));
        }

        for (var i = 0; i < 600; i++)
        {
            var app = $"edge-{i / 3}";
            result.Add(Pod($"{app}-{i % 3}", "ingress", app, "100m", "128Mi", spec: s =>
            {
                s.Tolerations = [new V1Toleration { Key = "node-role.keelson.dev/ingress", OperatorProperty = "Equal", Value = "true", Effect = "NoSchedule" }];
                s.NodeSelector = new Dictionary<string, string> { ["node-role.keelson.dev/ingress"] = "true" };
                s.Affinity = new V1Affinity
                {
                    PodAntiAffinity = new V1PodAntiAffinity
                    {
                        RequiredDuringSchedulingIgnoredDuringExecution = [new V1PodAffinityTerm { TopologyKey = "kubernetes.io/hostname", LabelSelector = Selector(app) }],
                    },
                };
            }));
        }

        string[] cpu = ["100m", "250m", "500m"];
        string[] memory = ["256Mi", "512Mi", "1Gi"];
        for (var i = 0; result.Count < Pods; i++)
        {
            var deployment = i / 20;
            var app = $"svc-{deployment}";
            result.Add(Pod($"{app}-{i % 20}", $"tenant-{deployment % 50}", app, cpu[deployment % 3], memory[deployment % 3], spec: s => s.TopologySpreadConstraints =
            [
                new V1TopologySpreadConstraint { TopologyKey = "topology.kubernetes.io/zone", MaxSkew = 1, WhenUnsatisfiable = "DoNotSchedule", LabelSelector = Selector(app) },
                new V1TopologySpreadConstraint { TopologyKey = "kubernetes.io/hostname", MaxSkew = 1, WhenUnsatisfiable = "ScheduleAnyway", LabelSelector = Selector(app) },
            ]));
        }

        return result;
    }

    private static V1LabelSelector Selector(string app) => new() { MatchLabels = new Dictionary<string, string> { ["app"] = app } };

    private static V1Pod Pod(string name, string ns, string app, string cpu, string memory, Action<V1PodSpec> spec, int gpus = 0)
    {
        var container = new V1Container
        {
            Name = "main",
            Image = $"registry.example/{app}:1",
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) },
                Limits = gpus > 0 ? new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new($"{gpus}") } : null,
            },
        };
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string> { ["app"] = app } },
            Spec = new V1PodSpec { Containers = [container] },
        };
        spec(pod.Spec);
        return pod;
    }
}
