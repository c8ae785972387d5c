using Keelson.Sandbox.Server.Clock;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>
/// The times a table's cells are worked out with: objects' times mapped as they are served, and the now they are
/// measured from (<see cref="ServedClock.Now"/>), so an AGE equals what kubectl computes from the served timestamps.
/// </summary>
/// <param name="Map">The map from virtual times to served ones.</param>
/// <param name="Now">The served now.</param>
public sealed record TableClock(WallTimeMap Map, DateTime Now)
{
    /// <summary>The clock of a table written now.</summary>
    public static TableClock Of(ServedClock served)
    {
        ArgumentNullException.ThrowIfNull(served);
        return new TableClock(served.Map, served.Now());
    }

    /// <summary>The age of a stored object's time, as kubectl prints it; <c>&lt;unknown&gt;</c> without one.</summary>
    public string Since(DateTime? at) => at is { } time ? Age.Format(Now - Served(time)) : "<unknown>";

    /// <summary>The served time between two stored times, or from one until now.</summary>
    public TimeSpan Between(DateTime from, DateTime? until) => (until is { } end ? Served(end) : Now) - Served(from);

    /// <summary>A stored time as served, or null.</summary>
    public DateTime? Served(DateTime? at) => at is { } time ? Served(time) : null;

    // A served time has whole seconds (a metav1.Time), which is what kubectl subtracts.
    private DateTime Served(DateTime time)
    {
        var wall = Map.ToWall(time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : time);
        return wall.AddTicks(-(wall.Ticks % TimeSpan.TicksPerSecond));
    }
}
