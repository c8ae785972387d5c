using Keelson.Planning.Sizing;

namespace Keelson.Planning.Tests.Sizing;

public sealed class RedundancyTests
{
    [Theory]
    [InlineData(95.0, 0, 1, false)]
    [InlineData(99.0, 0, 2, false)]
    [InlineData(99.5, 0, 2, false)]
    [InlineData(99.9, 1, 2, false)]
    [InlineData(99.95, 2, 3, true)]
    [InlineData(99.99, 2, 3, true)]
    public void Availability_sets_spare_replicas_floor_and_zone_spread(double availability, int spare, int min, bool zones) =>
        Assert.Equal(new Redundancy(spare, min, zones), Redundancy.For(availability));

    [Theory]
    [InlineData(50, 150, 0.67)]
    [InlineData(50, 500, 0.8)]
    [InlineData(100, 150, 0.5)]
    [InlineData(60, 150, 0.6)]
    public void Response_target_sets_the_utilisation_target(int serviceMs, int targetMs, double expected) =>
        Assert.Equal(expected, UtilisationTarget.For(TimeSpan.FromMilliseconds(serviceMs), TimeSpan.FromMilliseconds(targetMs)));

    [Fact]
    public void Replicas_for_a_load_add_spares_to_the_working_point()
    {
        // 100 sessions, 50 per replica, 60 % target: ceil(100 / 30) = 4 working, +2 spare at 99.95 %.
        var (peak, min, max) = ReplicaMath.ForLoad(100, 50, 0.6, Redundancy.For(99.95));

        Assert.Equal((6, 3, 12), (peak, min, max));
    }
}
