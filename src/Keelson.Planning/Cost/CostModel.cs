using Keelson.Spec.Model;

namespace Keelson.Planning.Cost;

/// <summary>Node counts of one pool that the cost model prices.</summary>
/// <param name="Pool">The pool and its prices.</param>
/// <param name="PeakNodes">Nodes while everything runs at its planned replicas.</param>
/// <param name="OffPeakNodes">Nodes while scalable workloads run at their minimum.</param>
public sealed record PoolNodes(NodePool Pool, int PeakNodes, int OffPeakNodes);

/// <summary>
/// Monthly cost: on demand, and the saving of a spot share, of reserved commitments and of a scale-down
/// schedule, each alone and all together.
/// </summary>
public static class CostModel
{
    /// <summary>Hours in an average month (8,760 / 12).</summary>
    public const double HoursPerMonth = 730;

    /// <summary>Monthly on-demand cost of a pool at peak node count.</summary>
    public static double OnDemand(PoolNodes p) => p.PeakNodes * p.Pool.Instance.Prices.OnDemandUsd * HoursPerMonth;

    /// <summary>Prices the pools of a plan under the stack's cost options.</summary>
    public static CostSummary Price(IReadOnlyList<PoolNodes> pools, CostOptions options, double controlPlaneMonthlyUsd)
    {
        var offFraction = options.ScaleDown.OffPeakFraction;
        double onDemand = 0, spot = 0, reserved = 0, scaleDown = 0, optimised = 0;
        foreach (var p in pools)
        {
            var prices = p.Pool.Instance.Prices;
            var peak = p.PeakNodes;
            var off = offFraction > 0 ? Math.Min(p.OffPeakNodes, peak) : peak;
            var peakOnly = peak - off;
            onDemand += OnDemand(p);

            // Alone: scale-down removes the peak-only nodes for the off-peak share of the month.
            scaleDown += peakOnly * offFraction * HoursPerMonth * prices.OnDemandUsd;

            // Alone: reservations cover a share of the nodes that never go away.
            var reservedNodes = Math.Floor(options.ReservedShare * off);
            reserved += reservedNodes * HoursPerMonth * (prices.OnDemandUsd - prices.ReservedUsd);

            // Alone: the spot share of all node-hours, where the pool allows spot.
            var spotShare = p.Pool.SpotAllowed ? options.SpotShare : 0;
            spot += spotShare * peak * HoursPerMonth * (prices.OnDemandUsd - prices.SpotUsd);

            // Together: schedule first, then reservations on the always-on nodes, then spot on what is left.
            var nodeHours = (off * HoursPerMonth) + (peakOnly * HoursPerMonth * (1 - offFraction));
            var reservedHours = reservedNodes * HoursPerMonth;
            var flexibleHours = nodeHours - reservedHours;
            optimised += (reservedHours * prices.ReservedUsd)
                + (flexibleHours * spotShare * prices.SpotUsd)
                + (flexibleHours * (1 - spotShare) * prices.OnDemandUsd);
        }

        return new CostSummary(
            Round(onDemand + controlPlaneMonthlyUsd),
            Round(spot),
            Round(reserved),
            Round(scaleDown),
            Round(optimised + controlPlaneMonthlyUsd),
            controlPlaneMonthlyUsd);
    }

    private static double Round(double usd) => Math.Round(usd, 2, MidpointRounding.AwayFromZero);
}
