namespace Keelson.Planning.Sizing;

/// <summary>The replica arithmetic shared by every load-driven sizer.</summary>
public static class ReplicaMath
{
    /// <summary>How far above the stated peak the autoscaler may go.</summary>
    public const int BurstFactor = 2;

    /// <summary>
    /// Replicas for a load: ceil(load / (capacity × target)) for the working point, plus the spare replicas
    /// of the availability target, never below its floor.
    /// </summary>
    public static (int Peak, int Min, int Max) ForLoad(double load, double capacityPerReplica, double targetUtilisation, Redundancy redundancy)
    {
        var working = (int)Math.Ceiling((load / (capacityPerReplica * targetUtilisation)) - 1e-9);
        var peak = Math.Max(working + redundancy.Spare, redundancy.MinReplicas);
        return (peak, redundancy.MinReplicas, Math.Max(peak * BurstFactor, redundancy.MinReplicas));
    }
}
