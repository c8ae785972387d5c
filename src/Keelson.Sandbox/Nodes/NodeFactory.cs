using System.Globalization;
using k8s.Models;
using Keelson.Planning.Packing;
using Keelson.Spec.Model;

namespace Keelson.Sandbox.Nodes;

/// <summary>Builds sandbox nodes from a cluster profile's pools, labelled and tainted as a managed node group would be.</summary>
public static class NodeFactory
{
    /// <summary>Label naming the pool a node belongs to (as <c>eks.amazonaws.com/nodegroup</c> does on EKS).</summary>
    public const string PoolLabel = "keelson.dev/pool";

    /// <summary>Extended resource name of NVIDIA GPUs, as the device plugin advertises them.</summary>
    public const string GpuResource = "nvidia.com/gpu";

    /// <summary>The zones a pool's nodes go to (a pool without zones gets one, <c>zone-a</c>).</summary>
    public static IReadOnlyList<string> Zones(NodePool pool) => pool is { Zones.Count: > 0 } ? pool.Zones : ["zone-a"];

    /// <summary>
    /// Node <paramref name="index"/> of <paramref name="pool"/>: zones are taken round-robin, as a node group
    /// balances them, unless <paramref name="zone"/> is given; allocatable is the planner's <see cref="NodeCapacity"/>, so plan and sandbox agree.
    /// </summary>
    public static V1Node Create(NodePool pool, int index, DateTime created, string? zone = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var name = string.Create(CultureInfo.InvariantCulture, $"{pool.Name}-{index:D3}");
        zone ??= Zones(pool)[index % Zones(pool).Count];
        var labels = new Dictionary<string, string>(pool.Labels, StringComparer.Ordinal)
        {
            ["kubernetes.io/hostname"] = name,
            ["kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "amd64",
            ["node.kubernetes.io/instance-type"] = pool.Instance.Name,
            ["topology.kubernetes.io/zone"] = zone,
            [PoolLabel] = pool.Name,
        };
        var allocatable = NodeCapacity.Of(pool.Instance);
        var capacity = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new(string.Create(CultureInfo.InvariantCulture, $"{pool.Instance.VCpu}")),
            ["memory"] = new(string.Create(CultureInfo.InvariantCulture, $"{pool.Instance.Memory.Bytes}")),
            ["pods"] = new(string.Create(CultureInfo.InvariantCulture, $"{pool.Instance.MaxPods}")),
        };
        var free = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new(string.Create(CultureInfo.InvariantCulture, $"{allocatable.Cpu.Value}m")),
            ["memory"] = new(string.Create(CultureInfo.InvariantCulture, $"{allocatable.Memory.Bytes}")),
            ["pods"] = new(string.Create(CultureInfo.InvariantCulture, $"{allocatable.Pods}")),
        };
        if (pool.Instance.Gpus > 0)
        {
            capacity[GpuResource] = new(string.Create(CultureInfo.InvariantCulture, $"{pool.Instance.Gpus}"));
            free[GpuResource] = new(string.Create(CultureInfo.InvariantCulture, $"{pool.Instance.Gpus}"));
        }

        return new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta { Name = name, Labels = labels, CreationTimestamp = created },
            Spec = new V1NodeSpec
            {
                Taints = pool.Taints.Count == 0 ? null : [.. pool.Taints.Select(t => new V1Taint { Effect = t.Effect, Key = t.Key, Value = t.Value })],
                ProviderID = $"keelson://{pool.Name}/{name}",
            },
            Status = new V1NodeStatus
            {
                Capacity = capacity,
                Allocatable = free,
                Addresses = Addresses.OfNode(name),
                Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", LastTransitionTime = created, Reason = "KubeletReady", Message = "simulated kubelet is posting ready status" }],
                NodeInfo = new V1NodeSystemInfo
                {
                    Architecture = "amd64", OperatingSystem = "linux", OsImage = "Keelson sandbox", KernelVersion = "6.1.0",
                    ContainerRuntimeVersion = "containerd://simulated", KubeletVersion = "v1.31.0-keelson", KubeProxyVersion = "v1.31.0-keelson",
                    BootID = name, MachineID = name, SystemUUID = name,
                },
            },
        };
    }
}
