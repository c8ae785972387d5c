namespace Keelson.Planning.Sizing;

/// <summary>The replica arithmetic shared by every load-driven sizer.</summary>
public static class ReplicaMath
{
    /// <summary>Most replicas one workload may be planned with.</summary>
    public const int MaxReplicas = 100_000;

    /// <summary>How far above the stated peak the autoscaler may go.</summary>
    public const int BurstFactor = 2;

    /// <summary>
    /// Replicas for a load: ceil(load / (capacity × target)) for the working point, plus the spare replicas
    /// of the availability target, never below its floor.
    /// </summary>
    public static (int Peak, int Min, int Max) ForLoad(double load, double capacityPerReplica, double targetUtilisation, Redundancy redundancy)
    {
        var exact = Math.Ceiling((load / (capacityPerReplica * targetUtilisation)) - 1e-9);
        if (exact > MaxReplicas)
        {
            throw new PlanningException(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"the load needs {exact:0} replicas, more than the {MaxReplicas} Keelson plans for one workload; check the load and the per-replica capacity"));
        }

        var working = (int)exact;
        var peak = Math.Max(working + redundancy.Spare, redundancy.MinReplicas);
        return (peak, redundancy.MinReplicas, Math.Max(peak * BurstFactor, redundancy.MinReplicas));
    }
}
