using Keelson.Spec.Model;

namespace Keelson.Planning.Sizing;

/// <summary>A component with replicas and pod shapes decided, before it is placed on a pool.</summary>
public sealed record SizedComponent(
    Component Component,
    string Device,
    GpuType? Gpu,
    IReadOnlyList<WorkloadPlan> Workloads,
    int? Sessions,
    double? TargetUtilisation,
    string Rationale);

/// <summary>What every sizer may read: the stack, the catalog and what the SLA asks for.</summary>
public sealed record SizingContext(StackSpec Spec, Catalog.ServiceCatalog Catalog)
{
    /// <summary>Redundancy the availability target asks for.</summary>
    public Redundancy Redundancy { get; } = Redundancy.For(Spec.Sla.AvailabilityPercent);
}

/// <summary>Sizes one kind of component. Adding a kind means adding one sizer.</summary>
public interface IComponentSizer
{
    /// <summary>The component type this sizer handles.</summary>
    Type ComponentType { get; }

    /// <summary>
    /// Decides replicas and pod shapes: one way to run the component, or one per device it may run on (an AI
    /// service with <c>device: auto</c>), in order of preference on equal cost; the planner picks by whole-plan cost.
    /// </summary>
    IReadOnlyList<SizedComponent> Size(Component component, SizingContext context);
}
