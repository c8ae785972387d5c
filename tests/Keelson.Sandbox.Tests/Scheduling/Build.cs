using k8s.Models;
using Keelson.Sandbox.Scheduling;

namespace Keelson.Sandbox.Tests.Scheduling;

/// <summary>Small nodes and pods for scheduler tests, built with object initialisers as KubernetesClient wants.</summary>
internal static class Build
{
    public const string Zone = "topology.kubernetes.io/zone";
    public const string Hostname = "kubernetes.io/hostname";

    public static V1Node Node(string name, string cpu = "4", string memory = "16Gi", int pods = 110, string? zone = null,
        IDictionary<string, string>? labels = null, IEnumerable<V1Taint>? taints = null, int gpus = 0, bool unschedulable = false)
    {
        var all = new Dictionary<string, string>(labels ?? new Dictionary<string, string>()) { [Hostname] = name };
        if (zone is not null)
        {
            all[Zone] = zone;
        }

        var allocatable = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(cpu),
            ["memory"] = new(memory),
            ["pods"] = new($"{pods}"),
        };
        if (gpus > 0)
        {
            allocatable["nvidia.com/gpu"] = new($"{gpus}");
        }

        return new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = all },
            Spec = new V1NodeSpec { Taints = taints?.ToList(), Unschedulable = unschedulable },
            Status = new V1NodeStatus { Allocatable = allocatable },
        };
    }

    public static V1Taint GpuTaint => new() { Key = "nvidia.com/gpu", Value = "present", Effect = "NoSchedule" };

    public static V1Pod Pod(string name, string? cpu = "100m", string? memory = "128Mi", IDictionary<string, string>? labels = null,
        string @namespace = "default", Action<V1PodSpec>? spec = null, int gpus = 0)
    {
        var requests = new Dictionary<string, ResourceQuantity>();
        if (cpu is not null)
        {
            requests["cpu"] = new(cpu);
        }

        if (memory is not null)
        {
            requests["memory"] = new(memory);
        }

        var limits = gpus > 0 ? new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new($"{gpus}") } : null;
        var podSpec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "main", Image = "app:1", Resources = new V1ResourceRequirements { Requests = requests, Limits = limits } }],
        };
        spec?.Invoke(podSpec);
        return new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = @namespace, Labels = labels ?? new Dictionary<string, string> { ["app"] = name } },
            Spec = podSpec,
        };
    }

    public static V1Toleration Tolerate(string key, string? value = null, string? effect = null) =>
        new() { Key = key, OperatorProperty = value is null ? "Exists" : "Equal", Value = value, Effect = effect };

    public static ClusterSnapshot Snapshot(params V1Node[] nodes)
    {
        var snapshot = new ClusterSnapshot();
        foreach (var node in nodes)
        {
            snapshot.AddNode(node);
        }

        return snapshot;
    }

    /// <summary>Schedules and binds each pod in turn, as the sandbox's scheduler loop does; returns the node of each (null if none).</summary>
    public static List<string?> Place(Scheduler scheduler, ClusterSnapshot snapshot, IEnumerable<V1Pod> pods)
    {
        var placed = new List<string?>();
        foreach (var pod in pods)
        {
            var result = scheduler.Schedule(pod, snapshot);
            if (result.NodeName is { } node)
            {
                snapshot.Bind(pod, node);
                pod.Spec.NodeName = node;
            }

            placed.Add(result.NodeName);
        }

        return placed;
    }

    /// <summary>A scheduler with one filter and no scores, to test the filter alone.</summary>
    public static Scheduler Only(IFilterPlugin filter) => new([filter], []);

    public static V1NodeSelectorRequirement Requirement(string key, string op, params string[] values) =>
        new() { Key = key, OperatorProperty = op, Values = values.Length == 0 ? null : values };

    public static V1Affinity RequiredNodeAffinity(params V1NodeSelectorRequirement[][] terms) => new()
    {
        NodeAffinity = new V1NodeAffinity
        {
            RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
            {
                NodeSelectorTerms = [.. terms.Select(t => new V1NodeSelectorTerm { MatchExpressions = t })],
            },
        },
    };

    public static V1PodAffinityTerm Term(string topologyKey, string app) => new()
    {
        TopologyKey = topologyKey,
        LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
    };

    public static V1TopologySpreadConstraint Spread(string topologyKey, string app, string when = "DoNotSchedule", int maxSkew = 1) => new()
    {
        TopologyKey = topologyKey,
        MaxSkew = maxSkew,
        WhenUnsatisfiable = when,
        LabelSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
    };
}
