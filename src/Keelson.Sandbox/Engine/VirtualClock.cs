namespace Keelson.Sandbox.Engine;

/// <summary>
/// The sandbox's clock: time moves only when the engine advances it, so a simulated day takes as long as its
/// reconcile steps do, and a run is repeatable.
/// </summary>
public sealed class VirtualClock(DateTimeOffset start) : TimeProvider
{
    /// <summary>The instant every sandbox starts at unless told otherwise: Monday 2026-01-05, 00:00 UTC.</summary>
    public static readonly DateTimeOffset DefaultStart = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    private DateTimeOffset now = start;

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => now;

    /// <summary>Current time as a UTC <see cref="DateTime"/>, the form the Kubernetes models use.</summary>
    public DateTime UtcDateTime => now.UtcDateTime;

    /// <summary>Moves time forward; never backwards.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        now += by;
    }
}
