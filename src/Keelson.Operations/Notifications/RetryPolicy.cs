namespace Keelson.Operations.Notifications;

/// <summary>
/// How failed deliveries are retried: exponential back-off from <see cref="InitialDelay"/> doubling up to
/// <see cref="MaxDelay"/>, each delay shortened by up to <see cref="Jitter"/> of itself at random so replicas do not
/// retry in step, and no more than <see cref="MaxAttempts"/> attempts. With the defaults a notification is tried
/// 10 times over about 42 minutes before it is marked dead.
/// </summary>
public sealed record RetryPolicy
{
    /// <summary>Attempts in all, the first included; after the last failure the row is <see cref="OutboxState.Dead"/>.</summary>
    public int MaxAttempts { get; init; } = 10;

    /// <summary>The wait after the first failure.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The fraction (0 to 1) by which a delay may be shortened at random.</summary>
    public double Jitter { get; init; } = 0.2;

    /// <summary>Throws naming the field when the policy cannot work.</summary>
    public void Validate()
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentException($"MaxAttempts must be at least 1; got {MaxAttempts}.", nameof(MaxAttempts));
        }

        if (InitialDelay <= TimeSpan.Zero || MaxDelay < InitialDelay)
        {
            throw new ArgumentException($"InitialDelay ({InitialDelay}) must be positive and at most MaxDelay ({MaxDelay}).", nameof(InitialDelay));
        }

        if (Jitter is < 0 or > 1 || double.IsNaN(Jitter))
        {
            throw new ArgumentException($"Jitter must be between 0 and 1; got {Jitter}.", nameof(Jitter));
        }
    }

    /// <summary>The wait after failed attempt number <paramref name="attempt"/> (1-based), given a uniform draw <paramref name="random"/> in [0, 1).</summary>
    public TimeSpan DelayAfter(int attempt, double random)
    {
        var exponent = Math.Min(Math.Max(attempt - 1, 0), 30);
        var ticks = Math.Min(InitialDelay.Ticks * Math.Pow(2, exponent), MaxDelay.Ticks);
        // Whole milliseconds: a due time the databases store exactly.
        return TimeSpan.FromMilliseconds(Math.Round(ticks * (1 - (Jitter * random)) / TimeSpan.TicksPerMillisecond));
    }
}
