using Keelson.Spec.Model;

namespace Keelson.Operations.Jobs;

/// <summary>A stack's declared job queues as the admission engine reads them: each flavor is a pool with its GPU type.</summary>
public static class StackQueues
{
    /// <summary>The engine's queues for <paramref name="stack"/>'s <c>queues</c>.</summary>
    public static IReadOnlyList<ClusterQueueSpec> For(StackSpec stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return [.. stack.Queues.Select(q => new ClusterQueueSpec(q.Name, [.. q.Flavors.Select(f => Flavor(stack.Cluster, f))])
        {
            Cohort = q.Cohort,
            Strategy = q.Ordering == QueueOrdering.StrictFifo ? QueueingStrategy.StrictFifo : QueueingStrategy.BestEffortFifo,
            WithinQueue = Policy(q.WithinQueue),
            ReclaimWithinCohort = Policy(q.ReclaimWithinCohort),
        })];
    }

    private static FlavorQuota Flavor(ClusterProfile cluster, QueueFlavor flavor)
    {
        var pool = cluster.Pools.First(p => p.Name == flavor.Pool);
        return new FlavorQuota(
            pool.Name,
            pool.Instance.Gpus > 0 ? pool.Instance.Gpu : null,
            Amount(flavor.Nominal),
            flavor.BorrowingLimit is { } limit ? Amount(limit) : null,
            flavor.LendingLimit is { } lending ? Amount(lending) : null);
    }

    private static Quantities Amount(QueueQuota quota) => new(quota.Cpu.Value, quota.Memory.Bytes, quota.Gpus);

    private static PreemptionPolicy Policy(QueuePreemption policy) => policy switch
    {
        QueuePreemption.LowerPriority => PreemptionPolicy.LowerPriority,
        QueuePreemption.LowerOrNewerEqualPriority => PreemptionPolicy.LowerOrNewerEqualPriority,
        QueuePreemption.Any => PreemptionPolicy.Any,
        _ => PreemptionPolicy.Never,
    };
}
