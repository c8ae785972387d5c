namespace Keelson.Operations.Jobs;

/// <summary>One job admitted to one flavor of its queue; it may first require evicting <see cref="Preempted"/>.</summary>
/// <param name="Workload">The admitted job.</param>
/// <param name="Flavor">The flavor (node pool) whose quota it holds.</param>
/// <param name="Borrowing">Whether it uses quota lent by the cohort.</param>
/// <param name="Preempted">The ids of admitted jobs evicted to make room, in eviction order; they go back to the queue.</param>
public sealed record AdmissionDecision(Workload Workload, string Flavor, bool Borrowing, IReadOnlyList<string> Preempted);

/// <summary>The outcome of one admission pass: admissions in order, and why every job left pending is waiting.</summary>
public sealed record AdmissionResult(IReadOnlyList<AdmissionDecision> Admitted, IReadOnlyDictionary<string, string> Pending)
{
    /// <summary>The admitted job ids in admission order.</summary>
    public IReadOnlyList<string> Order => [.. Admitted.Select(a => a.Workload.Id)];
}
