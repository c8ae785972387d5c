namespace Keelson.Operations.Jobs;

/// <summary>Which admitted jobs a pending one may evict (Kueue's <c>withinClusterQueue</c> / <c>reclaimWithinCohort</c> values).</summary>
public enum PreemptionPolicy
{
    /// <summary>None.</summary>
    Never,

    /// <summary>Jobs of lower priority.</summary>
    LowerPriority,

    /// <summary>Jobs of lower priority, or of equal priority submitted later (within a queue only).</summary>
    LowerOrNewerEqualPriority,

    /// <summary>Any job, whatever its priority (reclaiming lent quota from the cohort only).</summary>
    Any,
}
