using System.Globalization;
using Keelson.Planning.Catalog;
using Keelson.Spec.Model;

namespace Keelson.Planning.Sizing;

/// <summary>Sizes queue consumers: peak backlog over the backlog each replica should hold.</summary>
public sealed class WorkerSizer : IComponentSizer
{
    /// <inheritdoc/>
    public Type ComponentType => typeof(WorkerComponent);

    /// <inheritdoc/>
    public IReadOnlyList<SizedComponent> Size(Component component, SizingContext context)
    {
        var w = (WorkerComponent)component;
        var pod = w.Resources is { } r ? PodShape.From(r) : ServiceSizer.DefaultPod;
        var peak = w.Queue.PeakLength is int backlog
            ? Math.Clamp((int)Math.Ceiling(backlog / (double)w.Queue.TargetLengthPerReplica), Math.Max(w.MinReplicas, 1), w.MaxReplicas)
            : Math.Max(w.MinReplicas, 1);
        var rationale = w.Queue.PeakLength is int length
            ? string.Create(CultureInfo.InvariantCulture, $"peak backlog {length} / {w.Queue.TargetLengthPerReplica} per replica, within {w.MinReplicas}–{w.MaxReplicas}")
            : string.Create(CultureInfo.InvariantCulture, $"no peak backlog given: planned at {peak}, scales {w.MinReplicas}–{w.MaxReplicas} on queue length");
        var workload = new WorkloadPlan(w.Name, peak, w.MinReplicas, w.MaxReplicas, pod, Spec.Units.ByteSize.Zero, Scalable: true, ZoneSpread: false);
        return [new SizedComponent(w, "cpu", null, [workload], null, null, rationale)];
    }
}
