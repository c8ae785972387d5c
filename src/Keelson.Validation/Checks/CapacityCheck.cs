using System.Globalization;
using Keelson.Planning.Packing;
using Keelson.Spec.Model;
using Keelson.Spec.Units;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>
/// Whether the manifests fit a cluster profile: every pod fits a node of some pool, GPU demand stays within the
/// GPU pools' maximum (the ECP-AI validate response warns about exactly this), and ResourceQuotas hold.
/// </summary>
public sealed class CapacityCheck(ClusterProfile cluster) : ISetCheck
{
    /// <inheritdoc/>
    public string Id => "capacity";

    /// <inheritdoc/>
    public Severity Severity => Severity.Error;

    /// <inheritdoc/>
    public string Description => "Pods fit the cluster profile's nodes, GPU demand fits its GPU pools, ResourceQuotas are not exceeded.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        var gpuDemand = 0L;
        foreach (var document in manifests.Documents)
        {
            if (PodRequests.Of(manifests.ContextOf(document)) is not { } pod)
            {
                continue;
            }

            gpuDemand = Saturating.Add(gpuDemand, Saturating.Multiply(pod.Gpus, pod.Replicas));
            var pools = cluster.Pools.Where(p => pod.Gpus > 0 ? p.Role == PoolRole.Gpu : p.Role is PoolRole.Worker or PoolRole.Gpu).ToList();
            if (!pools.Any(p => NodeCapacity.Of(p.Instance).Fits(pod.Cpu, pod.Memory, pod.Gpus)))
            {
                yield return SetFinding.At(this, document, null, "",
                    $"a pod requesting {pod.Cpu} CPU, {pod.Memory.Display()} and {pod.Gpus} GPU fits no node of cluster '{cluster.Name}'",
                    "Lower the requests, or plan onto a profile with larger machines (--cluster).");
            }
        }

        var gpuCapacity = Saturating.Sum(cluster.Pools.Where(p => p.Role == PoolRole.Gpu).Select(p => Saturating.Multiply(p.MaxNodes, p.Instance.Gpus)));
        if (gpuDemand > gpuCapacity && manifests.Documents.Count > 0)
        {
            var first = manifests.Documents.First(d => PodRequests.Of(manifests.ContextOf(d)) is { Gpus: > 0 });
            yield return SetFinding.At(this, first, null, "", string.Create(CultureInfo.InvariantCulture, $"the manifests need {gpuDemand} GPUs but cluster '{cluster.Name}' has at most {gpuCapacity}"),
                "Add GPU nodes (raise maxNodes of a GPU pool) or move work to CPU.") with { Severity = Severity.Warning };
        }

        foreach (var quota in manifests.AllOfKind("ResourceQuota"))
        {
            var hard = ManifestSet.Map(CheckContext.Get(quota.Node, "spec.hard") as YamlMap);
            var pods = manifests.Documents.Where(d => (d.Namespace ?? "") == (quota.Namespace ?? "")).Select(d => PodRequests.Of(manifests.ContextOf(d))).OfType<PodRequests>().ToList();
            var cpu = Saturating.Sum(pods.Select(p => Saturating.Multiply(p.Cpu.Value, p.Replicas)));
            var memory = Saturating.Sum(pods.Select(p => Saturating.Multiply(p.Memory.Bytes, p.Replicas)));
            var count = Saturating.Sum(pods.Select(p => (long)p.Replicas));
            if (hard.TryGetValue("requests.cpu", out var cpuText) && KubeQuantity.TryParse(cpuText, out _) && cpu > KubeQuantity.Milli(cpuText))
            {
                yield return SetFinding.At(this, quota, CheckContext.Get(quota.Node, "spec.hard"), "spec.hard.requests.cpu", $"workloads request {new MilliCpu(cpu)} CPU, above the quota's {cpuText}", "Raise the quota or lower the requests.");
            }

            if (hard.TryGetValue("requests.memory", out var memoryText) && KubeQuantity.TryParse(memoryText, out _) && memory > KubeQuantity.Units(memoryText))
            {
                yield return SetFinding.At(this, quota, CheckContext.Get(quota.Node, "spec.hard"), "spec.hard.requests.memory", $"workloads request {new ByteSize(memory).Display()} memory, above the quota's {memoryText}", "Raise the quota or lower the requests.");
            }

            if (hard.TryGetValue("pods", out var podsText) && int.TryParse(podsText, NumberStyles.None, CultureInfo.InvariantCulture, out var podLimit) && count > podLimit)
            {
                yield return SetFinding.At(this, quota, CheckContext.Get(quota.Node, "spec.hard"), "spec.hard.pods", string.Create(CultureInfo.InvariantCulture, $"workloads run {count} pods, above the quota's {podLimit}"), "Raise the quota or lower the replicas.");
            }
        }
    }
}
