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
    /// <summary>Sums the workloads of <paramref name="documents"/> and packs their pods onto <paramref name="cluster"/>.</summary>
    public static ResourceSummary Compute(IReadOnlyList<ManifestDocument> documents, ClusterProfile cluster)
    {
        var pods = new List<(string Workload, MilliCpu Cpu, ByteSize Memory, int Gpus)>();
        var storage = ByteSize.Zero;
        foreach (var document in documents)
        {
            var requests = PodRequests.Of(document);
            var replicas = requests?.Replicas ?? 0;
            for (var r = 0; r < replicas; r++)
            {
                pods.Add((document.Name, requests!.Cpu, requests.Memory, requests.Gpus));
            }

            storage += Claims(document) * Math.Max(replicas, 1);
        }

        var nodes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var unplaced = new List<string>();
        var monthly = cluster.ControlPlaneMonthlyUsd;
        foreach (var group in pods.GroupBy(p => p.Gpus > 0))
        {
            var pool = cluster.Pools
                .Where(p => group.Key ? p.Role == PoolRole.Gpu : p.Role == PoolRole.Worker)
                .OrderBy(p => p.Instance.Prices.OnDemandUsd / Math.Max(p.Instance.VCpu, 1))
                .FirstOrDefault();
            if (pool is null)
            {
                unplaced.AddRange(group.Select(p => p.Workload).Distinct());
                continue;
            }

            var capacity = NodeCapacity.Of(pool.Instance);
            var fitting = group.Where(p => capacity.Fits(p.Cpu, p.Memory, p.Gpus)).Select(p => new PodDemand(p.Workload, p.Cpu, p.Memory, p.Gpus)).ToList();
            unplaced.AddRange(group.Where(p => !capacity.Fits(p.Cpu, p.Memory, p.Gpus)).Select(p => p.Workload).Distinct());
            var packed = FirstFitDecreasingPacker.Pack(fitting, capacity);
            nodes[pool.Name] = packed.Nodes;
            monthly += CostModel.OnDemand(new PoolNodes(pool, packed.Nodes, packed.Nodes));
        }

        return new ResourceSummary(
            new MilliCpu(pods.Sum(p => p.Cpu.Value)),
            new ByteSize(pods.Sum(p => p.Memory.Bytes)),
            pods.Sum(p => p.Gpus),
            storage,
            nodes,
            Math.Round(monthly, 2),
            [.. unplaced.Distinct().Order(StringComparer.Ordinal)]);
    }

    private static ByteSize Claims(ManifestDocument document)
    {
        static ByteSize Size(YamlElement? claim) =>
            ByteSize.TryParse(CheckContext.Value(claim, "spec.resources.requests.storage") ?? "", out var size) ? size : ByteSize.Zero;

        return document.Kind switch
        {
            "PersistentVolumeClaim" => Size(document.Node),
            "StatefulSet" when CheckContext.Get(document.Node, "spec.volumeClaimTemplates") is YamlSeq templates =>
                templates.Aggregate(ByteSize.Zero, (sum, t) => sum + Size(t)),
            _ => ByteSize.Zero,
        };
    }
}
