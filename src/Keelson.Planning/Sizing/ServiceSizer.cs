using System.Globalization;
using Keelson.Planning.Catalog;
using Keelson.Spec.Model;
using Keelson.Spec.Units;

namespace Keelson.Planning.Sizing;

/// <summary>Sizes HTTP/gRPC services: fixed replicas, or a request rate over per-replica capacity.</summary>
public sealed class ServiceSizer : IComponentSizer
{
    /// <summary>Requests and limits when the spec gives none: 250m/256Mi requested, twice that as limits.</summary>
    public static readonly PodShape DefaultPod = new(new MilliCpu(250), ByteSize.FromMiB(256), new MilliCpu(500), ByteSize.FromMiB(512), 0);

    /// <summary>Service time assumed for a generic request when sizing the autoscaling target.</summary>
    public static readonly TimeSpan DefaultServiceTime = TimeSpan.FromMilliseconds(50);

    /// <inheritdoc/>
    public Type ComponentType => typeof(ServiceComponent);

    /// <inheritdoc/>
    public IReadOnlyList<SizedComponent> Size(Component component, SizingContext context)
    {
        var s = (ServiceComponent)component;
        var pod = s.Resources is { } r ? PodShape.From(r) : DefaultPod;
        var redundancy = context.Redundancy;
        var target = s.Autoscaling?.CpuPercent is int cpuPercent
            ? cpuPercent / 100.0
            : UtilisationTarget.For(DefaultServiceTime, context.Spec.Sla.ResponseTime);

        int peak, min, max;
        string rationale;
        if (s.RequestsPerSecond is { } rps && s.RequestsPerSecondPerReplica is { } perReplica)
        {
            (peak, min, max) = ReplicaMath.ForLoad(rps, perReplica, target, redundancy);
            rationale = string.Create(CultureInfo.InvariantCulture, $"{rps:0.##} req/s over {perReplica:0.##} per replica at {target * 100:0}% target, +{redundancy.Spare} spare");
        }
        else
        {
            peak = s.Replicas ?? redundancy.MinReplicas;
            min = s.Autoscaling is null ? peak : redundancy.MinReplicas;
            max = s.Autoscaling is null ? peak : peak * ReplicaMath.BurstFactor;
            rationale = s.Replicas is { } fixedReplicas
                ? string.Create(CultureInfo.InvariantCulture, $"{fixedReplicas} replicas as specified")
                : string.Create(CultureInfo.InvariantCulture, $"{peak} replicas, the floor of {context.Spec.Sla.AvailabilityPercent}% availability");
        }

        if (s.Autoscaling is { } a)
        {
            min = a.MinReplicas ?? min;
            max = a.MaxReplicas ?? Math.Max(max, min);
            peak = Math.Clamp(peak, min, max);
        }

        var scalable = s.Autoscaling is not null || s.RequestsPerSecond is not null;
        var workload = new WorkloadPlan(s.Name, peak, min, max, pod, s.Storage?.Size ?? ByteSize.Zero, scalable, redundancy.ZoneSpread && peak > 1)
        {
            SharedStorage = s.Storage is not null,
        };
        return [new SizedComponent(s, "cpu", null, [workload], null, scalable ? target : null, rationale)];
    }
}
