using Keelson.Planning.Cost;
using Keelson.Spec.Model;
using Keelson.Spec.Units;

namespace Keelson.Planning.Tests.Cost;

public sealed class CostModelTests
{
    private static NodePool Pool(double onDemand, double spot, double reserved, bool spotAllowed = true) =>
        new("p", PoolRole.Worker, new InstanceType("x", 8, ByteSize.FromGiB(32), 0, null, new HourlyPrices(onDemand, spot, reserved)), 0, 100,
            new Dictionary<string, string>(), [], []) { SpotAllowed = spotAllowed };

    [Fact]
    public void On_demand_is_nodes_times_price_times_730_hours_plus_control_plane()
    {
        var cost = CostModel.Price([new PoolNodes(Pool(1.0, 0.4, 0.6), 10, 4)], CostOptions.None, 73);

        Assert.Equal(7300 + 73, cost.OnDemandUsd);
        Assert.Equal(cost.OnDemandUsd, cost.OptimisedUsd);
        Assert.Equal((0.0, 0.0, 0.0), (cost.SpotSavingUsd, cost.ReservedSavingUsd, cost.ScaleDownSavingUsd));
    }

    [Fact]
    public void Each_saving_alone_and_all_together_by_hand()
    {
        // 10 nodes at peak, 4 off-peak; $1.00 on demand, $0.40 spot, $0.60 reserved.
        // Scale-down: 108 of 168 hours (weekday nights 20–08 and weekends).
        var options = new CostOptions(0.5, 0.5, new ScaleDownSchedule(20, 8, Weekends: true));
        var off = 108.0 / 168;

        var cost = CostModel.Price([new PoolNodes(Pool(1.0, 0.4, 0.6), 10, 4)], options, 0);

        Assert.Equal(Math.Round(6 * off * 730, 2), cost.ScaleDownSavingUsd);     // 6 peak-only nodes, off-peak share
        Assert.Equal(2 * 730 * 0.4, cost.ReservedSavingUsd, precision: 6);      // floor(0.5 × 4) reserved nodes
        Assert.Equal(0.5 * 10 * 730 * 0.6, cost.SpotSavingUsd, precision: 6);   // half of all node-hours, $0.60 cheaper
        var nodeHours = (4 * 730) + (6 * 730 * (1 - off));
        var flexible = nodeHours - (2 * 730);
        var together = (2 * 730 * 0.6) + (flexible * 0.5 * 0.4) + (flexible * 0.5 * 1.0);
        Assert.Equal(Math.Round(together, 2), cost.OptimisedUsd);
        Assert.True(cost.OptimisedUsd < cost.OnDemandUsd - Math.Max(cost.SpotSavingUsd, Math.Max(cost.ReservedSavingUsd, cost.ScaleDownSavingUsd)));
    }

    [Fact]
    public void Pools_that_forbid_spot_save_nothing_from_it()
    {
        var cost = CostModel.Price([new PoolNodes(Pool(1.0, 0.4, 0.6, spotAllowed: false), 3, 3)], new CostOptions(1, 0, ScaleDownSchedule.Never), 0);

        Assert.Equal(0, cost.SpotSavingUsd);
        Assert.Equal(cost.OnDemandUsd, cost.OptimisedUsd);
    }

    [Theory]
    [InlineData(20, 8, true, 108)]
    [InlineData(20, 8, false, 84)]
    [InlineData(null, null, true, 48)]
    [InlineData(null, null, false, 0)]
    public void Scale_down_hours_per_week(int? from, int? to, bool weekends, double hours) =>
        Assert.Equal(hours, new ScaleDownSchedule(from, to, weekends).HoursPerWeek);
}
