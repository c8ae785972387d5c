using Keelson.Spec.Model;

namespace Keelson.Operations.Jobs;

/// <summary>
/// A queue's quota on one resource flavor. A flavor is a node pool of the tenant's cluster (admitted jobs get its
/// node affinity and tolerations); <see cref="Gpu"/> is the pool's GPU type, and only jobs asking for that type use it.
/// </summary>
/// <param name="Flavor">The node pool's name.</param>
/// <param name="Gpu">The pool's GPU type; null for CPU pools, which take only jobs without GPUs.</param>
/// <param name="Nominal">What the queue owns; unused nominal quota is lent to the cohort.</param>
/// <param name="BorrowingLimit">How much more than nominal the queue may borrow from its cohort; null means no limit.</param>
/// <param name="LendingLimit">How much of its nominal quota the queue lends to its cohort (Kueue's <c>lendingLimit</c>); the rest is
/// guaranteed to the queue alone. Null lends all of it.</param>
public sealed record FlavorQuota(string Flavor, GpuType? Gpu, Quantities Nominal, Quantities? BorrowingLimit = null, Quantities? LendingLimit = null)
{
    /// <summary>What the queue lends to the cohort: its nominal quota, capped per resource by the lending limit.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Quantities Lendable => LendingLimit is { } limit ? Min(Nominal, limit) : Nominal;

    /// <summary>What only the queue itself may use: nominal minus what it lends.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Quantities Guaranteed => Nominal - Lendable;

    private static Quantities Min(Quantities a, Quantities b) => new(Math.Min(a.MilliCpu, b.MilliCpu), Math.Min(a.MemoryBytes, b.MemoryBytes), Math.Min(a.Gpus, b.Gpus));

    /// <summary>The most the queue may use of this flavor: nominal plus the borrowing limit when it is in a cohort.</summary>
    public Quantities Ceiling(bool inCohort) => !inCohort ? Nominal : BorrowingLimit is { } limit ? Nominal + limit : Quantities.Unlimited;
}
