namespace Keelson.Sandbox.Simulation;

/// <summary>One component at one sample: replicas wanted and ready, and the CPU demanded and available.</summary>
/// <param name="Replicas">Replicas its workloads ask for (after autoscaling).</param>
/// <param name="Ready">Ready pods.</param>
/// <param name="DemandMillis">CPU demanded by the load, when the load model covers it.</param>
/// <param name="CapacityMillis">CPU requested by its ready pods: what it can serve at full utilisation of its requests.</param>
/// <param name="Degraded">Whether this sample counts against the SLA (demand above capacity, or no ready pod).</param>
public sealed record ComponentSample(int Replicas, int Ready, double? DemandMillis, double CapacityMillis, bool Degraded);

/// <summary>The cluster at one sample time.</summary>
public sealed record TimelinePoint(
    DateTimeOffset At,
    IReadOnlyDictionary<string, ComponentSample> Components,
    IReadOnlyDictionary<string, int> NodesPerPool,
    int PendingPods);

/// <summary>A component's day: replicas range and SLA minutes lost.</summary>
public sealed record ComponentSummary(string Name, int MinReplicas, int MaxReplicas, double MeanReplicas, double SlaMinutesLost);

/// <summary>A pool's day: node count range and node-hours.</summary>
public sealed record PoolSummary(string Name, int MinNodes, int MaxNodes, double NodeHours, double CostUsd);

/// <summary>What <see cref="DaySimulator"/> found.</summary>
/// <param name="Load">The load's name.</param>
/// <param name="Start">When the simulated period starts (midnight).</param>
/// <param name="Duration">How long was simulated.</param>
/// <param name="Step">Time between samples (and reconcile ticks).</param>
/// <param name="Timeline">One point per step.</param>
/// <param name="Components">Per component, in stack order.</param>
/// <param name="Pools">Per pool, in profile order.</param>
/// <param name="PendingPodMinutes">Pod-minutes spent Pending (not scheduled or not yet started).</param>
/// <param name="CostUsd">Node cost on demand for the period, plus the control plane's share.</param>
/// <param name="Events">Faults and notable happenings with their times.</param>
public sealed record SimulationReport(
    string Load,
    DateTimeOffset Start,
    TimeSpan Duration,
    TimeSpan Step,
    IReadOnlyList<TimelinePoint> Timeline,
    IReadOnlyList<ComponentSummary> Components,
    IReadOnlyList<PoolSummary> Pools,
    double PendingPodMinutes,
    double CostUsd,
    IReadOnlyList<string> Events);
