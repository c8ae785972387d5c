using System.Globalization;
using Keelson.Planning.Catalog;
using Keelson.Spec.Model;
using Keelson.Spec.Units;

namespace Keelson.Planning.Sizing;

/// <summary>Sizes model servers: fixed replicas or inference rate over per-replica throughput, on CPU or a GPU.</summary>
public sealed class ModelSizer : IComponentSizer
{
    /// <summary>CPU model server when the spec gives none.</summary>
    public static readonly PodShape CpuPod = new(new MilliCpu(1000), ByteSize.FromGiB(2), new MilliCpu(2000), ByteSize.FromGiB(4), 0);

    /// <summary>GPU model server when the spec gives none: one GPU and enough host memory to stage weights.</summary>
    public static readonly PodShape GpuPod = new(new MilliCpu(2000), ByteSize.FromGiB(8), new MilliCpu(4000), ByteSize.FromGiB(16), 1);

    /// <summary>Service time assumed for one inference when sizing the autoscaling target (the AUTUS seed's 5 ms).</summary>
    public static readonly TimeSpan InferenceTime = TimeSpan.FromMilliseconds(5);

    /// <inheritdoc/>
    public Type ComponentType => typeof(ModelComponent);

    /// <inheritdoc/>
    public IReadOnlyList<SizedComponent> Size(Component component, SizingContext context)
    {
        var m = (ModelComponent)component;
        var gpu = m.Device.Kind == DeviceKind.Gpu ? m.Device.Gpu : null;
        var pod = m.Resources is { } r
            ? PodShape.From(r) with { Gpus = gpu is null ? 0 : 1 }
            : gpu is null ? CpuPod : GpuPod;
        var target = UtilisationTarget.For(InferenceTime, context.Spec.Sla.ResponseTime);
        int peak, min, max;
        string rationale;
        if (m.RequestsPerSecond is { } rps && m.RequestsPerSecondPerReplica is { } perReplica)
        {
            (peak, min, max) = ReplicaMath.ForLoad(rps, perReplica, target, context.Redundancy);
            rationale = string.Create(CultureInfo.InvariantCulture, $"{rps:0.##} inferences/s over {perReplica:0.##} per replica at {target * 100:0}% target");
        }
        else
        {
            peak = m.Replicas ?? context.Redundancy.MinReplicas;
            (min, max) = (peak, peak);
            rationale = string.Create(CultureInfo.InvariantCulture, $"{peak} replica(s)");
        }

        var device = gpu?.ToString() ?? "cpu";
        var workload = new WorkloadPlan(m.Name, peak, min, max, pod, ByteSize.Zero, Scalable: min < max, context.Redundancy.ZoneSpread && peak > 1);
        return [new SizedComponent(m, device, gpu, [workload], null, min < max ? target : null, rationale)];
    }
}
