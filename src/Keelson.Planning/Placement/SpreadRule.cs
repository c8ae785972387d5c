namespace Keelson.Planning.Placement;

/// <summary>The fewest nodes a replicated workload needs so that losing one node (or zone) leaves it running.</summary>
public static class SpreadRule
{
    /// <summary>
    /// Zone-spread workloads need a node in as many zones as they have replicas (up to the pool's zones);
    /// any workload with more than one replica needs two nodes.
    /// </summary>
    public static int MinimumNodes(int replicas, bool zoneSpread, int poolZones)
    {
        var floor = zoneSpread ? Math.Min(replicas, Math.Max(poolZones, 1)) : 0;
        return Math.Max(floor, replicas > 1 ? 2 : Math.Min(replicas, 1));
    }

    /// <summary>Why <see cref="MinimumNodes"/> asks for its nodes, for the plan's node-count reason.</summary>
    public static string Why(string workload, int replicas, bool zoneSpread, int poolZones)
    {
        var nodes = MinimumNodes(replicas, zoneSpread, poolZones);
        return zoneSpread && nodes > 2
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{workload}' spreads {replicas} replicas over {nodes} zones, a node in each")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"'{workload}' has {replicas} replicas and needs {nodes} nodes so that losing one leaves it running");
    }
}
