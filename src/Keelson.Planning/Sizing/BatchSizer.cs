using System.Globalization;
using Keelson.Planning.Catalog;
using Keelson.Spec.Model;
using Keelson.Spec.Units;

namespace Keelson.Planning.Sizing;

/// <summary>Sizes Jobs and CronJobs (a CronJob is a Job on a schedule): room for <c>parallelism</c> pods while they run.</summary>
public sealed class BatchSizer : IComponentSizer
{
    /// <summary>Requests and limits of a batch pod when the spec gives none.</summary>
    public static readonly PodShape DefaultPod = new(new MilliCpu(500), ByteSize.FromMiB(512), new MilliCpu(1000), ByteSize.FromGiB(1), 0);

    /// <inheritdoc/>
    public Type ComponentType => typeof(JobComponent);

    /// <inheritdoc/>
    public IReadOnlyList<SizedComponent> Size(Component component, SizingContext context)
    {
        var j = (JobComponent)component;
        var gpu = j.Device.Kind == DeviceKind.Gpu ? j.Device.Gpu : null;
        var pod = (j.Resources is { } r ? PodShape.From(r) : DefaultPod) with { Gpus = j.Gpus };
        var workload = new WorkloadPlan(j.Name, j.Parallelism, 0, j.Parallelism, pod, ByteSize.Zero, Scalable: false, ZoneSpread: false);
        var rationale = string.Create(CultureInfo.InvariantCulture, $"room for {j.Parallelism} parallel pod(s) of {j.Completions} completion(s)");
        return [new SizedComponent(j, gpu?.ToString() ?? "cpu", gpu, [workload], null, null, rationale)];
    }
}
