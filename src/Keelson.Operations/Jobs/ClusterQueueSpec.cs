namespace Keelson.Operations.Jobs;

/// <summary>
/// A tenant's job queue with Kueue's ClusterQueue semantics: quotas per flavor in preference order, an optional cohort
/// whose members lend each other unused quota, an ordering strategy and preemption policies. Jobs name the queue
/// directly; the tenant's namespace plays the part of Kueue's LocalQueue.
/// </summary>
public sealed record ClusterQueueSpec(string Name, IReadOnlyList<FlavorQuota> Flavors)
{
    /// <summary>The cohort this queue lends to and borrows from; null for none.</summary>
    public string? Cohort { get; init; }

    /// <summary>Ordering when the head does not fit.</summary>
    public QueueingStrategy Strategy { get; init; } = QueueingStrategy.BestEffortFifo;

    /// <summary>Which of its own admitted jobs a pending job may evict to fit its nominal quota.</summary>
    public PreemptionPolicy WithinQueue { get; init; } = PreemptionPolicy.Never;

    /// <summary>Which jobs of cohort members borrowing its quota a pending job may evict to take the quota back.</summary>
    public PreemptionPolicy ReclaimWithinCohort { get; init; } = PreemptionPolicy.Never;
}
