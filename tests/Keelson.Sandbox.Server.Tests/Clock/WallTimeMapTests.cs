using Keelson.Sandbox.Server.Clock;

namespace Keelson.Sandbox.Server.Tests.Clock;

public sealed class WallTimeMapTests
{
    private const long Second = TimeSpan.TicksPerSecond;
    private static readonly long Start = new DateTime(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc).Ticks;

    [Fact]
    public void One_stretch_at_slope_one_from_where_it_starts_is_the_identity_before_and_after_it()
    {
        var map = WallTimeMap.Of(new ClockSegment(Start, Start, 1, 1));

        Assert.True(map.IsIdentity);
        Assert.Equal(Start - (3600 * Second), map.ToWall(Start - (3600 * Second)));
        Assert.Equal(Start + 7, map.ToWall(Start + 7));
        Assert.Equal(Start + 7, map.ToVirtual(Start + 7));
    }

    [Fact]
    public void Times_before_the_first_stretch_shift_by_its_offset_at_slope_one()
    {
        // The clock was an hour ahead when the facade opened.
        var map = WallTimeMap.Of(new ClockSegment(Start + (3600 * Second), Start, 10, 1));

        Assert.False(map.IsIdentity);
        Assert.Equal(Start - (60 * Second), map.ToWall(Start + (3540 * Second)));
        Assert.Equal(Start + Second, map.ToWall(Start + (3610 * Second)));
    }

    [Fact]
    public void A_squeezed_jump_keeps_its_order_and_the_inverse_gives_the_latest_virtual_time_served_at_or_before()
    {
        // 1 h of virtual time in 1 s of wall time, then running at speed 10.
        var map = WallTimeMap.Of(new ClockSegment(Start, Start, 1, 1))
            .Then(new ClockSegment(Start + (10 * Second), Start + (10 * Second), 3600 * Second, Second))
            .Then(new ClockSegment(Start + (3610 * Second), Start + (11 * Second), 10, 1));

        Assert.Equal(3, map.Segments.Count);
        var sampled = Enumerable.Range(0, 400).Select(i => Start + (i * 10 * Second)).Select(map.ToWall).ToList();
        Assert.Equal(sampled.Order(), sampled);
        Assert.Equal(Start + (10 * Second) + (Second / 2), map.ToWall(Start + (1810 * Second)));
        Assert.Equal(Start + (12 * Second), map.ToWall(Start + (3620 * Second)));

        foreach (var wall in new[] { Start + (5 * Second), Start + (10 * Second) + 12_345, Start + (11 * Second), Start + (20 * Second) + 3 })
        {
            var back = map.ToVirtual(wall);
            Assert.True(map.ToWall(back) <= wall);
            Assert.True(map.ToWall(back + 1) > wall, $"{back + 1} is also served at or before {wall}");
        }
    }

    [Fact]
    public void A_stretch_that_continues_the_last_exactly_adds_nothing()
    {
        var first = WallTimeMap.Of(new ClockSegment(Start, Start, 10, 1));

        var same = first.Then(new ClockSegment(Start + (100 * Second), Start + (10 * Second), 10, 1));
        var bent = first.Then(new ClockSegment(Start + (100 * Second), Start + (10 * Second), 1, 1));

        Assert.Single(same.Segments);
        Assert.Equal(2, bent.Segments.Count);
        Assert.Equal(first.ToWall(Start + (55 * Second)), bent.ToWall(Start + (55 * Second)));
    }

    [Fact]
    public void A_stretch_may_not_start_before_the_last_or_serve_its_start_earlier_than_the_last_does()
    {
        var map = WallTimeMap.Of(new ClockSegment(Start, Start, 1, 1));

        Assert.Throws<ArgumentOutOfRangeException>(() => map.Then(new ClockSegment(Start - 1, Start, 1, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => map.Then(new ClockSegment(Start + Second, Start, 1, 1)));
    }

    [Fact]
    public void The_stretches_are_bounded_and_only_the_oldest_times_move_when_they_are_joined()
    {
        var map = WallTimeMap.Of(new ClockSegment(Start, Start, 1, 1));
        var virtualAt = Start;
        var wallAt = Start;
        var wallPerStep = 10 * Second;
        for (var i = 0; i < WallTimeMap.MaxSegments + 100; i++)
        {
            // Ten virtual seconds a stretch, at alternating slopes that never continue each other.
            virtualAt += 10 * Second;
            wallAt += wallPerStep;
            var slope = i % 2 == 0 ? 1 : 2;
            map = map.Then(new ClockSegment(virtualAt, wallAt, 10, slope));
            wallPerStep = slope * Second;
        }

        Assert.Equal(WallTimeMap.MaxSegments, map.Segments.Count);
        Assert.Equal(wallAt, map.ToWall(virtualAt));
        var sampled = Enumerable.Range(0, 2000).Select(i => Start + (i * 25 * Second)).Select(map.ToWall).ToList();
        Assert.Equal(sampled.Order(), sampled);
    }
}
