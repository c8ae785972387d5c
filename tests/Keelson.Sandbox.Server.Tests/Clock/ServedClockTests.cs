using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Server.Clock;

namespace Keelson.Sandbox.Server.Tests.Clock;

/// <summary>The served clock against a wall clock the test moves (a <see cref="VirtualClock"/> standing in for the real one).</summary>
public sealed class ServedClockTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private readonly VirtualClock wall = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, 300, TimeSpan.Zero));

    private DateTime WallNow => wall.GetUtcNow().UtcDateTime;

    [Fact]
    public void At_speed_one_behind_the_wall_every_time_is_served_as_it_is()
    {
        var virtualNow = WallNow.AddMilliseconds(-300);
        var served = new ServedClock(virtualNow, 1, wall);
        for (var i = 0; i < 50; i++)
        {
            wall.Advance(Tick);
            var step = served.Step(virtualNow, Tick);
            Assert.Equal(Tick, step);
            virtualNow += step;
        }

        Assert.True(served.Map.IsIdentity);
        Assert.Equal(virtualNow, served.Now());
    }

    [Fact]
    public void A_fixed_start_months_behind_stays_the_identity_through_advances()
    {
        var virtualNow = VirtualClock.DefaultStart.UtcDateTime;
        var served = new ServedClock(virtualNow, 0, wall);

        virtualNow += TimeSpan.FromHours(6);
        served.Observe(virtualNow);

        Assert.True(served.Map.IsIdentity);
        Assert.Equal(TimeSpan.Zero, served.Step(virtualNow, Tick));
        Assert.Equal(virtualNow, served.Now());
    }

    [Fact]
    public void At_speed_ten_the_clocks_now_is_served_as_wall_now_and_never_after_it()
    {
        var virtualNow = WallNow.AddMilliseconds(-300);
        var served = new ServedClock(virtualNow, 10, wall);
        var created = virtualNow;
        var first = served.Map.ToWall(created);
        var opened = WallNow;
        for (var i = 0; i < 3000; i++)
        {
            var elapsed = TimeSpan.FromMilliseconds(90 + (i % 7 * 5));
            wall.Advance(elapsed);
            virtualNow += served.Step(virtualNow, elapsed);
            var now = served.Map.ToWall(virtualNow);
            Assert.True(now <= WallNow, $"{now:O} is after the wall's {WallNow:O}");
            Assert.True(WallNow - now < TimeSpan.FromMilliseconds(1), $"{now:O} lags the wall's {WallNow:O}");
        }

        // Ten times the wall time ran (and the 0.3 s it was behind at first, made up); the stretches stayed few and nothing moved.
        var expected = (WallNow - opened + TimeSpan.FromMilliseconds(300)) * 10;
        Assert.InRange(virtualNow - created, expected - TimeSpan.FromSeconds(1), expected + TimeSpan.FromSeconds(1));
        Assert.InRange(served.Map.Segments.Count, 1, 2);
        Assert.Equal(first, served.Map.ToWall(created));
        Assert.Equal(WallNow, served.Now());
    }

    [Fact]
    public void An_advance_of_an_hour_is_squeezed_before_wall_now_and_times_already_served_do_not_move()
    {
        var virtualNow = WallNow.AddMilliseconds(-300);
        var served = new ServedClock(virtualNow, 0, wall);
        var before = virtualNow.AddSeconds(-30);
        var servedBefore = served.Map.ToWall(before);
        wall.Advance(TimeSpan.FromSeconds(2));

        virtualNow += TimeSpan.FromHours(1);
        served.Observe(virtualNow);

        var map = served.Map;
        Assert.Equal(WallNow, map.ToWall(virtualNow));
        Assert.Equal(servedBefore, map.ToWall(before));
        var inside = map.ToWall(virtualNow.AddMinutes(-30));
        Assert.True(inside > servedBefore && inside < WallNow);

        // A stopped clock: its now stays served at the advance's wall time while the wall moves on.
        wall.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(WallNow, served.Now());
        Assert.Equal(WallNow.AddMinutes(-1), served.Map.ToWall(virtualNow));
    }

    [Fact]
    public void Every_reached_time_keeps_its_served_time_through_steps_and_advances()
    {
        var random = new Random(12);
        var virtualNow = WallNow.AddSeconds(-1);
        var served = new ServedClock(virtualNow, 10, wall);
        var seen = new List<(DateTime Virtual, DateTime Wall)>();
        for (var i = 0; i < 2000; i++)
        {
            var elapsed = TimeSpan.FromMilliseconds(random.Next(50, 150));
            wall.Advance(elapsed);
            if (random.Next(20) == 0)
            {
                virtualNow += TimeSpan.FromSeconds(random.Next(1, 3600));
                served.Observe(virtualNow);
            }
            else
            {
                virtualNow += served.Step(virtualNow, elapsed);
            }

            var map = served.Map;
            Assert.True(map.ToWall(virtualNow) <= WallNow);
            seen.Add((virtualNow, map.ToWall(virtualNow)));
        }

        var last = served.Map;
        Assert.All(seen, s => Assert.Equal(s.Wall, last.ToWall(s.Virtual)));
        Assert.Equal(seen.Select(s => s.Wall).Order(), seen.Select(s => s.Wall));

        // A wall time a client sends back stands for a virtual time served as that same wall time.
        Assert.All(seen, s => Assert.Equal(s.Wall, last.ToWall(last.ToVirtual(s.Wall))));
    }
}
