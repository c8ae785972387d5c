using Keelson.Spec.Units;

namespace Keelson.Spec.Model;

/// <summary>
/// A job queue declared in the stack (Kueue's ClusterQueue): quotas per node pool in preference order, an optional
/// cohort whose members lend each other unused quota, an ordering strategy and preemption policies. Job and cronjob
/// components that name it are created suspended and run only once Keelson's admitter admits them.
/// </summary>
public sealed record JobQueueSpec(string Name, IReadOnlyList<QueueFlavor> Flavors)
{
    /// <summary>The cohort this queue lends to and borrows from; null for none.</summary>
    public string? Cohort { get; init; }

    /// <summary>Ordering when the head of the queue does not fit.</summary>
    public QueueOrdering Ordering { get; init; } = QueueOrdering.BestEffortFifo;

    /// <summary>Which of its own admitted jobs a pending job may evict to fit its nominal quota.</summary>
    public QueuePreemption WithinQueue { get; init; } = QueuePreemption.Never;

    /// <summary>Which jobs of cohort members borrowing its quota a pending job may evict to take it back.</summary>
    public QueuePreemption ReclaimWithinCohort { get; init; } = QueuePreemption.Never;
}

/// <summary>A queue's quota on one node pool: what it owns and how much more it may borrow from its cohort.</summary>
/// <param name="Pool">The node pool (Kueue's ResourceFlavor).</param>
/// <param name="Nominal">What the queue owns.</param>
/// <param name="BorrowingLimit">How much more it may borrow; null means no limit (only meaningful in a cohort).</param>
/// <param name="LendingLimit">How much of its nominal quota it lends to the cohort; null lends all of it.</param>
public sealed record QueueFlavor(string Pool, QueueQuota Nominal, QueueQuota? BorrowingLimit, QueueQuota? LendingLimit = null);

/// <summary>An amount of the resources queues account for; absent resources are zero.</summary>
public sealed record QueueQuota(MilliCpu Cpu, ByteSize Memory, int Gpus);

/// <summary>Kueue's queueing strategies.</summary>
public enum QueueOrdering
{
    /// <summary>A head that does not fit steps aside for younger jobs that do.</summary>
    BestEffortFifo,

    /// <summary>A head that does not fit blocks its queue.</summary>
    StrictFifo,
}

/// <summary>Kueue's preemption policies.</summary>
public enum QueuePreemption
{
    /// <summary>No preemption.</summary>
    Never,

    /// <summary>Only jobs of lower priority.</summary>
    LowerPriority,

    /// <summary>Jobs of lower priority, or of equal priority admitted later (within a queue).</summary>
    LowerOrNewerEqualPriority,

    /// <summary>Any job (reclaiming within a cohort).</summary>
    Any,
}
