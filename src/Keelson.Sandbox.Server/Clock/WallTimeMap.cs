namespace Keelson.Sandbox.Server.Clock;

/// <summary>
/// A stretch of the map from <see cref="Virtual"/> on: wall time <see cref="Wall"/> plus the virtual ticks since
/// <see cref="Virtual"/> times <see cref="WallTicks"/>/<see cref="VirtualTicks"/>, rounded down (all in 100 ns ticks).
/// </summary>
/// <param name="Virtual">Where the stretch starts on the sandbox clock.</param>
/// <param name="Wall">The wall-clock time that start is served as.</param>
/// <param name="VirtualTicks">The rate's denominator: virtual ticks...</param>
/// <param name="WallTicks">...per this many wall ticks (0: the whole stretch is one wall instant).</param>
public readonly record struct ClockSegment(long Virtual, long Wall, long VirtualTicks, long WallTicks)
{
    /// <summary>The wall time of <paramref name="at"/>, a virtual time at or after <see cref="Virtual"/>.</summary>
    public long WallAt(long at) => Ticks(Wall + ((Int128)(at - Virtual) * WallTicks / VirtualTicks));

    /// <summary>The latest virtual time at or after <see cref="Virtual"/> served at or before <paramref name="wall"/> (which is at or after <see cref="Wall"/>).</summary>
    public long LatestAt(long wall) => WallTicks == 0
        ? DateTime.MaxValue.Ticks
        : Ticks(Virtual + (((((Int128)(wall - Wall) + 1) * VirtualTicks) - 1) / WallTicks));

    /// <summary>Whether <paramref name="next"/> continues this stretch exactly, so the two can be one.</summary>
    public bool Continues(ClockSegment next) =>
        (Int128)WallTicks * next.VirtualTicks == (Int128)next.WallTicks * VirtualTicks
        && (Int128)(next.Virtual - Virtual) * WallTicks % VirtualTicks == 0
        && WallAt(next.Virtual) == next.Wall;

    // Far-future times at a slow rate can leave DateTime's range; they are served as its end.
    private static long Ticks(Int128 ticks) => (long)Int128.Clamp(ticks, DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
}

/// <summary>
/// The facade's monotone map from the sandbox's virtual times to the wall-clock times it serves, so that ages
/// kubectl computes from its own clock read correctly: piecewise linear, stretches in virtual order, and before the
/// first one the slope is 1 (times from before the facade opened keep their spacing). Immutable: the clock replaces it.
/// </summary>
/// <remarks>
/// Every function is exact integer arithmetic on ticks, so a virtual time maps to the same wall time for as long as
/// the stretch holding it stays; <see cref="ServedClock"/> only ever appends at virtual times the clock has not yet
/// reached, or merges stretches that continue each other exactly.
/// </remarks>
public sealed class WallTimeMap
{
    /// <summary>The most stretches kept; past it, the two oldest are joined into one (their times move, once).</summary>
    public const int MaxSegments = 4096;

    private readonly ClockSegment[] segments;

    private WallTimeMap(ClockSegment[] segments) => this.segments = segments;

    /// <summary>The stretches, oldest first; the last one also maps the times after the clock's now.</summary>
    public IReadOnlyList<ClockSegment> Segments => segments;

    /// <summary>Whether every time is served as it is: the clock never ran ahead of the wall.</summary>
    public bool IsIdentity => segments is [{ VirtualTicks: 1, WallTicks: 1 } only] && only.Virtual == only.Wall;

    /// <summary>A map of one stretch.</summary>
    public static WallTimeMap Of(ClockSegment segment) => new([segment]);

    /// <summary>The wall time served for virtual time <paramref name="virtualTime"/>.</summary>
    public DateTime ToWall(DateTime virtualTime) => new(Clamp(ToWall(virtualTime.Ticks)), DateTimeKind.Utc);

    /// <summary>The virtual time a client's wall time <paramref name="wallTime"/> stands for: the latest one served at or before it.</summary>
    public DateTime ToVirtual(DateTime wallTime) => new(Clamp(ToVirtual(wallTime.Ticks)), DateTimeKind.Utc);

    /// <summary>The wall ticks of virtual ticks <paramref name="at"/>.</summary>
    public long ToWall(long at)
    {
        var first = segments[0];
        if (at < first.Virtual)
        {
            return first.Wall - (first.Virtual - at);
        }

        return segments[Holding(at)].WallAt(at);
    }

    /// <summary>The latest virtual ticks served at or before wall ticks <paramref name="wall"/>.</summary>
    public long ToVirtual(long wall)
    {
        var first = segments[0];
        if (wall < first.Wall)
        {
            return first.Virtual - (first.Wall - wall);
        }

        // The last stretch starting at or before the wall time; it ends where the next begins.
        int low = 0, high = segments.Length - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (segments[middle].Wall <= wall)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        var latest = segments[low].LatestAt(wall);
        return low + 1 < segments.Length ? Math.Min(latest, segments[low + 1].Virtual - 1) : latest;
    }

    /// <summary>
    /// This map with <paramref name="next"/> from its start on: after the last stretch, or in place of it when both
    /// start at the same time and wall time (the last stretch was never reached past its start). A stretch that
    /// continues the last one exactly adds nothing.
    /// </summary>
    public WallTimeMap Then(ClockSegment next)
    {
        var list = new List<ClockSegment>(segments.Length + 1);
        list.AddRange(segments);
        var last = list[^1];
        if (next.Virtual == last.Virtual && next.Wall == last.Wall)
        {
            list.RemoveAt(list.Count - 1);
        }
        else if (next.Virtual <= last.Virtual || next.Wall < last.WallAt(next.Virtual))
        {
            throw new ArgumentOutOfRangeException(nameof(next), next, "a stretch starts after the last one, at or after the wall time the last one gives it");
        }

        if (list.Count > 0 && list[^1].Continues(next))
        {
            return list.Count == segments.Length ? this : new WallTimeMap([.. list]);
        }

        list.Add(next);
        if (list.Count > MaxSegments)
        {
            // Bounded memory: the oldest two stretches become one line between their ends.
            var (a, c) = (list[0], list[2]);
            list[0] = new ClockSegment(a.Virtual, a.Wall, c.Virtual - a.Virtual, c.Wall - a.Wall);
            list.RemoveAt(1);
        }

        return new WallTimeMap([.. list]);
    }

    private int Holding(long at)
    {
        int low = 0, high = segments.Length - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (segments[middle].Virtual <= at)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    private static long Clamp(long ticks) => Math.Clamp(ticks, DateTime.MinValue.Ticks, DateTime.MaxValue.Ticks);
}
