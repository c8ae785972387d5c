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
public sealed record FlavorQuota(string Flavor, GpuType? Gpu, Quantities Nominal, Quantities? BorrowingLimit = null)
{
    /// <summary>The most the queue may use of this flavor: nominal plus the borrowing limit when it is in a cohort.</summary>
    public Quantities Ceiling(bool inCohort) => !inCohort ? Nominal : BorrowingLimit is { } limit ? Nominal + limit : Quantities.Unlimited;
}
