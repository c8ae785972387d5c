using System.Globalization;
using Keelson.Spec.Units;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>What one pod of a workload requests, and how many such pods it runs.</summary>
/// <param name="Replicas">Pods at once: replicas, or a Job's parallelism.</param>
/// <param name="Cpu">CPU requested by one pod's containers.</param>
/// <param name="Memory">Memory requested by one pod's containers.</param>
/// <param name="Gpus">GPUs (nvidia.com/gpu limits) of one pod.</param>
public sealed record PodRequests(int Replicas, MilliCpu Cpu, ByteSize Memory, int Gpus)
{
    /// <summary>The requests of a workload object, or null for objects that run no pods.</summary>
    public static PodRequests? Of(ManifestDocument document) => Of(new CheckContext(document));

    /// <summary>The requests of an object under check, or null for objects that run no pods.</summary>
    public static PodRequests? Of(CheckContext context)
    {
        var document = context.Document;
        if (context.PodSpec is null)
        {
            return null;
        }

        long cpu = 0, memory = 0;
        var gpus = 0;
        foreach (var c in context.Containers(includeInit: false))
        {
            // Any valid quantity counts, however large: totals saturate rather than overflow or drop it.
            cpu = Saturating.Add(cpu, KubeQuantity.Milli(CheckContext.Value(c.Node, "resources.requests.cpu")));
            memory = Saturating.Add(memory, KubeQuantity.Units(CheckContext.Value(c.Node, "resources.requests.memory")));
            var limits = CheckContext.Get(c.Node, "resources.limits") as YamlMap;
            gpus = (int)Math.Min(gpus + (long)(int.TryParse(limits is null ? null : limits.Scalar("nvidia.com/gpu"), NumberStyles.None, CultureInfo.InvariantCulture, out var g) ? g : 0), int.MaxValue);
        }

        return new PodRequests(ReplicasOf(document), new MilliCpu(cpu), new ByteSize(memory), gpus);
    }

    private static int ReplicasOf(ManifestDocument document)
    {
        var path = document.Kind switch
        {
            "Deployment" or "StatefulSet" or "ReplicaSet" or "ReplicationController" => "spec.replicas",
            "Job" => "spec.parallelism",
            "CronJob" => "spec.jobTemplate.spec.parallelism",
            _ => null,
        };
        return path is not null && int.TryParse(CheckContext.Value(document.Node, path), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 1;
    }
}
