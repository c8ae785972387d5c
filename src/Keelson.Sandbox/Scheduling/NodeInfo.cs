using System.Collections.Frozen;
using k8s.Models;

namespace Keelson.Sandbox.Scheduling;

/// <summary>
/// A node as the scheduler reads it: allocatable and requested resources as integers, labels, taints, topology
/// domains and per-selector pod counts, kept up to date by <see cref="ClusterSnapshot"/> on every bind.
/// </summary>
public sealed class NodeInfo
{
    private readonly long[] allocatableScalars;
    private long[] requestedScalars = [];
    private int[] domainIds = [];
    private int[] counts = [];

    internal NodeInfo(V1Node node, Func<string, int> scalarId)
    {
        Node = node;
        Name = node.Metadata?.Name ?? throw new ArgumentException("A node needs metadata.name.", nameof(node));
        Labels = (node.Metadata.Labels ?? new Dictionary<string, string>()).ToFrozenDictionary(StringComparer.Ordinal);
        Taints = node.Spec?.Taints?.ToArray() ?? [];
        HardTaints = [.. Taints.Where(t => t.Effect is "NoSchedule" or "NoExecute")];
        Unschedulable = node.Spec?.Unschedulable == true;
        var allocatable = PodRequests.Convert(node.Status?.Allocatable ?? new Dictionary<string, ResourceQuantity>());
        AllocatableMilliCpu = allocatable.GetValueOrDefault(PodRequests.Cpu);
        AllocatableMemoryBytes = allocatable.GetValueOrDefault(PodRequests.Memory);
        AllocatablePods = allocatable.GetValueOrDefault(PodRequests.Pods);
        var scalars = allocatable.Where(r => r.Key is not (PodRequests.Cpu or PodRequests.Memory or PodRequests.Pods))
            .Select(r => (Id: scalarId(r.Key), r.Value)).ToList();
        allocatableScalars = new long[scalars.Count == 0 ? 0 : scalars.Max(s => s.Id) + 1];
        foreach (var (id, value) in scalars)
        {
            allocatableScalars[id] = value;
        }
    }

    /// <summary>The node object.</summary>
    public V1Node Node { get; }

    /// <summary>metadata.name.</summary>
    public string Name { get; }

    /// <summary>metadata.labels.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>All taints.</summary>
    public IReadOnlyList<V1Taint> Taints { get; }

    /// <summary>spec.unschedulable (a cordoned or draining node).</summary>
    public bool Unschedulable { get; }

    /// <summary>Allocatable CPU in millicores.</summary>
    public long AllocatableMilliCpu { get; }

    /// <summary>Allocatable memory in bytes.</summary>
    public long AllocatableMemoryBytes { get; }

    /// <summary>Allocatable pod slots.</summary>
    public long AllocatablePods { get; }

    /// <summary>CPU requested by bound pods, in millicores.</summary>
    public long RequestedMilliCpu { get; private set; }

    /// <summary>Memory requested by bound pods, in bytes.</summary>
    public long RequestedMemoryBytes { get; private set; }

    /// <summary>Pods bound.</summary>
    public int PodCount { get; private set; }

    /// <summary>CPU requested with kube-scheduler's scoring defaults for containers that request none.</summary>
    public long NonZeroRequestedMilliCpu { get; private set; }

    /// <summary>Memory requested with kube-scheduler's scoring defaults for containers that request none.</summary>
    public long NonZeroRequestedMemoryBytes { get; private set; }

    /// <summary>Taints with effect NoSchedule or NoExecute, the ones the filter enforces.</summary>
    internal V1Taint[] HardTaints { get; }

    /// <summary>Keys of the pods bound here.</summary>
    internal HashSet<string> PodKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>Allocatable amount of an extended resource by its snapshot id; 0 when the node does not offer it.</summary>
    internal long AllocatableScalar(int id) => id < allocatableScalars.Length ? allocatableScalars[id] : 0;

    /// <summary>Requested amount of an extended resource by its snapshot id.</summary>
    internal long RequestedScalar(int id) => id < requestedScalars.Length ? requestedScalars[id] : 0;

    /// <summary>The node's domain id for a topology key slot, or -1 when it lacks the label.</summary>
    internal int Domain(int slot) => slot < domainIds.Length ? domainIds[slot] : -1;

    /// <summary>Pods here counted by counter <paramref name="id"/> (matching a selector, or bearing a term).</summary>
    internal int Count(int id) => id < counts.Length ? counts[id] : 0;

    internal void SetDomain(int slot, int id)
    {
        if (slot >= domainIds.Length)
        {
            var grown = new int[Math.Max(slot + 1, domainIds.Length * 2)];
            Array.Fill(grown, -1);
            domainIds.CopyTo(grown, 0);
            domainIds = grown;
        }

        domainIds[slot] = id;
    }

    internal void AddCount(int id, int delta)
    {
        if (id >= counts.Length)
        {
            Array.Resize(ref counts, Math.Max(id + 1, counts.Length * 2));
        }

        counts[id] += delta;
    }

    internal void AddRequests(PodInfo pod, int sign)
    {
        RequestedMilliCpu += sign * pod.MilliCpu;
        RequestedMemoryBytes += sign * pod.MemoryBytes;
        NonZeroRequestedMilliCpu += sign * pod.NonZeroMilliCpu;
        NonZeroRequestedMemoryBytes += sign * pod.NonZeroMemoryBytes;
        PodCount += sign;
        foreach (var scalar in pod.Scalars)
        {
            if (scalar.Id >= requestedScalars.Length)
            {
                Array.Resize(ref requestedScalars, scalar.Id + 1);
            }

            requestedScalars[scalar.Id] += sign * scalar.Amount;
        }
    }
}
