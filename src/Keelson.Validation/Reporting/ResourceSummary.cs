using Keelson.Planning.Cost;
using Keelson.Planning.Packing;
using Keelson.Spec.Model;
using Keelson.Spec.Units;
using Keelson.Validation.Checks;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Reporting;

/// <summary>Totals of what the manifests request, and what the nodes to run them would cost on a cluster profile.</summary>
/// <param name="Cpu">CPU requested by every replica.</param>
/// <param name="Memory">Memory requested by every replica.</param>
/// <param name="Gpus">GPUs requested by every replica.</param>
/// <param name="Storage">Storage claimed (PVCs and volume claim templates × replicas).</param>
/// <param name="Nodes">Nodes per pool the pods pack into (first-fit decreasing).</param>
/// <param name="MonthlyUsd">Those nodes on demand for a month, plus the profile's control-plane fee.</param>
/// <param name="Unplaced">Pods that fit no pool of the profile.</param>
public sealed record ResourceSummary(MilliCpu Cpu, ByteSize Memory, int Gpus, ByteSize Storage, IReadOnlyDictionary<string, int> Nodes, double MonthlyUsd, IReadOnlyList<string> Unplaced)
{
    /// <summary>
    /// Most pods packed one by one (first-fit decreasing); above it, each workload's pods are counted onto nodes of
    /// their own by arithmetic, so a replica count near 2³¹ costs no time or memory.
    /// </summary>
    public const int PackedPods = 10_000;

    /// <summary>Sums the workloads of <paramref name="documents"/> and packs their pods onto <paramref name="cluster"/>.</summary>
    public static ResourceSummary Compute(IReadOnlyList<ManifestDocument> documents, ClusterProfile cluster)
    {
        var workloads = new List<(string Workload, PodRequests Pod)>();
        var storage = ByteSize.Zero;
        foreach (var document in documents)
        {
            var requests = PodRequests.Of(document);
            if (requests is { Replicas: > 0 })
            {
                workloads.Add((document.Name, requests));
            }

            storage += Claims(document) * Math.Max(requests?.Replicas ?? 0, 1);
        }

        var nodes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var unplaced = new List<string>();
        var monthly = cluster.ControlPlaneMonthlyUsd;
        var totalPods = Saturating.Sum(workloads.Select(w => (long)w.Pod.Replicas));
        foreach (var group in workloads.GroupBy(w => w.Pod.Gpus > 0))
        {
            var pool = cluster.Pools
                .Where(p => group.Key ? p.Role == PoolRole.Gpu : p.Role == PoolRole.Worker)
                .OrderBy(p => p.Instance.Prices.OnDemandUsd / Math.Max(p.Instance.VCpu, 1))
                .FirstOrDefault();
            if (pool is null)
            {
                unplaced.AddRange(group.Select(w => w.Workload));
                continue;
            }

            var capacity = NodeCapacity.Of(pool.Instance);
            var fitting = group.Where(w => capacity.Fits(w.Pod.Cpu, w.Pod.Memory, w.Pod.Gpus)).ToList();
            unplaced.AddRange(group.Where(w => !capacity.Fits(w.Pod.Cpu, w.Pod.Memory, w.Pod.Gpus)).Select(w => w.Workload));
            var count = totalPods <= PackedPods
                ? FirstFitDecreasingPacker.Pack([.. fitting.SelectMany(w => Enumerable.Repeat(new PodDemand(w.Workload, w.Pod.Cpu, w.Pod.Memory, w.Pod.Gpus), w.Pod.Replicas))], capacity).Nodes
                : (int)Math.Min(Saturating.Sum(fitting.Select(w => NodesAlone(w.Pod, capacity))), int.MaxValue);
            nodes[pool.Name] = count;
            monthly += CostModel.OnDemand(new PoolNodes(pool, count, count));
        }

        return new ResourceSummary(
            new MilliCpu(Saturating.Sum(workloads.Select(w => Saturating.Multiply(w.Pod.Cpu.Value, w.Pod.Replicas)))),
            new ByteSize(Saturating.Sum(workloads.Select(w => Saturating.Multiply(w.Pod.Memory.Bytes, w.Pod.Replicas)))),
            (int)Math.Min(Saturating.Sum(workloads.Select(w => Saturating.Multiply(w.Pod.Gpus, w.Pod.Replicas))), int.MaxValue),
            storage,
            nodes,
            Math.Round(monthly, 2),
            [.. unplaced.Distinct().Order(StringComparer.Ordinal)]);
    }

    /// <summary>Nodes one workload's pods need on nodes of their own: its replicas over the pods that fit one node.</summary>
    private static long NodesAlone(PodRequests pod, NodeCapacity capacity)
    {
        static long PerNode(long have, long need) => need <= 0 ? long.MaxValue : have / need;
        var perNode = Math.Max(1, Math.Min(Math.Min(PerNode(capacity.Cpu.Value, pod.Cpu.Value), PerNode(capacity.Memory.Bytes, pod.Memory.Bytes)),
            Math.Min(PerNode(capacity.Gpus, pod.Gpus), capacity.Pods)));
        return (pod.Replicas + perNode - 1) / perNode;
    }

    private static ByteSize Claims(ManifestDocument document)
    {
        static ByteSize Size(YamlElement? claim) =>
            new(KubeQuantity.Units(CheckContext.Value(claim, "spec.resources.requests.storage")));

        return document.Kind switch
        {
            "PersistentVolumeClaim" => Size(document.Node),
            "StatefulSet" when CheckContext.Get(document.Node, "spec.volumeClaimTemplates") is YamlSeq templates =>
                templates.Aggregate(ByteSize.Zero, (sum, t) => sum + Size(t)),
            _ => ByteSize.Zero,
        };
    }
}
