namespace Keelson.Sandbox.Server.Clock;

/// <summary>
/// Keeps the facade's <see cref="WallTimeMap"/> as the sandbox clock moves, and paces the clock's running: while
/// the virtual clock is behind the wall clock (a sandbox opened at wall-clock time and run at speed 1, or one at a
/// fixed start) every time is served as it is; once it would pass the wall clock (a faster speed, an
/// <c>Advance</c>), the map follows the wall so that the clock's now is served as wall-clock now and nothing served
/// is in the wall clock's future. Thread-safe: the clock moves inside the gate, responses read the map outside it.
/// </summary>
/// <remarks>
/// A jump ahead (an <c>Advance</c> past the wall) is squeezed into the wall time since the map last reached the
/// clock's now, rather than spread over wall time to come: spreading it would serve the clock's now in the wall's
/// future, or move times already served. Events inside the jump keep their order; they may share a second.
/// </remarks>
public sealed class ServedClock
{
    // The running rate as a fraction: virtual ticks per this many wall ticks.
    private const long RateScale = 1_000_000;

    private readonly Lock sync = new();
    private readonly TimeProvider wall;
    private readonly long virtualPerScale;
    private WallTimeMap map;
    private long known;
    private long lastWall;
    private bool following;

    /// <summary>A map for a clock reading <paramref name="virtualNow"/>, running at <paramref name="speed"/> virtual seconds per wall second.</summary>
    public ServedClock(DateTime virtualNow, double speed, TimeProvider wall)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(speed);
        ArgumentNullException.ThrowIfNull(wall);
        this.wall = wall;
        virtualPerScale = (long)Math.Round(speed * RateScale);
        known = virtualNow.Ticks;
        var now = Wall();

        // Ahead of the wall at opening: everything before shifts back by the lead (slope 1), and the map follows the wall.
        following = known > now;
        map = WallTimeMap.Of(following ? Running(known, now) : new ClockSegment(known, known, 1, 1));
    }

    /// <summary>The current map; a virtual time the clock has reached maps the same in every later one.</summary>
    public WallTimeMap Map
    {
        get
        {
            lock (sync)
            {
                return map;
            }
        }
    }

    /// <summary>
    /// The time a response's ages are measured from: wall-clock now once the map follows the wall (what kubectl
    /// measures from), else the clock's now served as it is (a clock behind the wall keeps its own ages).
    /// </summary>
    public DateTime Now()
    {
        lock (sync)
        {
            return new DateTime(following ? Wall() : map.ToWall(known), DateTimeKind.Utc);
        }
    }

    /// <summary>Records that the sandbox clock now reads <paramref name="virtualNow"/>, moved by something other than <see cref="Step"/>.</summary>
    public void Observe(DateTime virtualNow)
    {
        lock (sync)
        {
            ObserveLocked(virtualNow.Ticks, Wall());
        }
    }

    /// <summary>
    /// How far the running clock moves now, reading <paramref name="virtualNow"/> after <paramref name="elapsed"/>
    /// of wall time since the last step: speed times that while behind the wall, else up to the latest virtual time
    /// the map serves at or before wall-clock now (which also makes up a clock that fell behind its pace).
    /// </summary>
    public TimeSpan Step(DateTime virtualNow, TimeSpan elapsed)
    {
        lock (sync)
        {
            var now = Wall();
            ObserveLocked(virtualNow.Ticks, now);
            if (virtualPerScale == 0)
            {
                return TimeSpan.Zero;
            }

            if (!following)
            {
                var paced = known + (long)((Int128)Math.Max(elapsed.Ticks, 0) * virtualPerScale / RateScale);
                if (map.ToWall(paced) <= now)
                {
                    return MoveTo(paced);
                }

                // The clock overtakes the wall here: from now on it runs against the wall clock.
                map = map.Then(Running(known, map.ToWall(known)));
                following = true;
            }

            return MoveTo(Math.Max(known, map.Segments[^1].LatestAt(now)));
        }
    }

    private TimeSpan MoveTo(long target)
    {
        var step = target - known;
        known = target;
        return TimeSpan.FromTicks(step);
    }

    private void ObserveLocked(long now, long wallNow)
    {
        if (now <= known)
        {
            return;
        }

        if (map.ToWall(now) > wallNow)
        {
            // A jump past the wall: squeezed between the wall time of the clock's last now and wall-clock now.
            var from = map.ToWall(known);
            map = map.Then(new ClockSegment(known, from, now - known, wallNow - from)).Then(Running(now, wallNow));
            following = true;
        }

        known = now;
    }

    // A stretch from (at, wallAt) running with the clock: slope 1/speed, or 1 for a stopped clock (then only the
    // times after its now, such as a grace period's end, are on it).
    private ClockSegment Running(long at, long wallAt) =>
        virtualPerScale > 0 ? new ClockSegment(at, wallAt, virtualPerScale, RateScale) : new ClockSegment(at, wallAt, 1, 1);

    // Wall-clock now, never going back (a system clock stepped back holds the served times still instead).
    private long Wall()
    {
        lastWall = Math.Max(lastWall, wall.GetUtcNow().UtcTicks);
        return lastWall;
    }
}
