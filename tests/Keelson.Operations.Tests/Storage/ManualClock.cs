namespace Keelson.Operations.Tests.Storage;

/// <summary>A clock the test moves by hand, so lease expiry needs no waiting.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private long ticks = start.UtcTicks;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    /// <summary>Moves time forward.</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}
