namespace Keelson.Planning.Sizing;

/// <summary>What an availability target asks of a replicated workload.</summary>
/// <param name="Spare">Replicas beyond those the load needs (N+spare).</param>
/// <param name="MinReplicas">Fewest replicas ever running, the autoscaler's floor.</param>
/// <param name="ZoneSpread">Whether replicas must spread across zones, not only nodes.</param>
public sealed record Redundancy(int Spare, int MinReplicas, bool ZoneSpread)
{
    /// <summary>
    /// Below 99 %: one replica may do. From 99 %: two, to survive a node drain. From 99.9 % (43 min/month):
    /// N+1. From 99.95 % (22 min/month): N+2 spread across zones, because a zone outage alone outlasts the budget.
    /// </summary>
    public static Redundancy For(double availabilityPercent) => availabilityPercent switch
    {
        >= 99.95 => new Redundancy(2, 3, true),
        >= 99.9 => new Redundancy(1, 2, false),
        >= 99.0 => new Redundancy(0, 2, false),
        _ => new Redundancy(0, 1, false),
    };
}
