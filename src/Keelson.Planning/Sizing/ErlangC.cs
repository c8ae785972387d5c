namespace Keelson.Planning.Sizing;

/// <summary>
/// The Erlang C queueing model (M/M/N): how many servers keep the wait short enough.
/// Uses the Erlang B recurrence, which stays stable for thousands of servers where the
/// textbook factorial form overflows.
/// </summary>
public static class ErlangC
{
    /// <summary>Offered load in erlangs: arrivals per hour × handle time.</summary>
    public static double OfferedLoad(double arrivalsPerHour, TimeSpan handleTime) => arrivalsPerHour * handleTime.TotalHours;

    /// <summary>Erlang B blocking probability for <paramref name="servers"/> servers and load <paramref name="erlangs"/>.</summary>
    public static double ErlangB(int servers, double erlangs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(servers);
        var b = 1.0;
        for (var k = 1; k <= servers; k++)
        {
            b = erlangs * b / (k + (erlangs * b));
        }

        return b;
    }

    /// <summary>Probability that an arrival waits at all; 1 when the servers cannot keep up.</summary>
    public static double WaitProbability(int servers, double erlangs) =>
        servers <= erlangs ? 1.0 : FromErlangB(servers, erlangs, ErlangB(servers, erlangs));

    /// <summary>Share of arrivals answered within <paramref name="target"/>.</summary>
    public static double ServiceLevel(int servers, double erlangs, TimeSpan handleTime, TimeSpan target) =>
        servers <= erlangs ? 0.0 : Level(servers, erlangs, WaitProbability(servers, erlangs), handleTime, target);

    /// <summary>Mean wait of all arrivals (the average speed of answer).</summary>
    public static TimeSpan AverageSpeedOfAnswer(int servers, double erlangs, TimeSpan handleTime) =>
        servers <= erlangs
            ? TimeSpan.MaxValue
            : TimeSpan.FromSeconds(WaitProbability(servers, erlangs) * handleTime.TotalSeconds / (servers - erlangs));

    /// <summary>
    /// The fewest servers for which at least <paramref name="targetShare"/> (0–1) of arrivals are answered
    /// within <paramref name="answerWithin"/>.
    /// </summary>
    public static int ServersFor(double erlangs, TimeSpan handleTime, TimeSpan answerWithin, double targetShare)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(erlangs);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(targetShare, 1.0);
        if (erlangs == 0)
        {
            return 0;
        }

        // Walk the Erlang B recurrence once, testing the service level at each server count past the load.
        var b = 1.0;
        for (var n = 1; ; n++)
        {
            b = erlangs * b / (n + (erlangs * b));
            if (n > erlangs && Level(n, erlangs, FromErlangB(n, erlangs, b), handleTime, answerWithin) >= targetShare)
            {
                return n;
            }
        }
    }

    private static double FromErlangB(int n, double a, double b) => n * b / (n - (a * (1 - b)));

    private static double Level(int n, double a, double wait, TimeSpan handleTime, TimeSpan target) =>
        1.0 - (wait * Math.Exp(-(n - a) * target.TotalSeconds / handleTime.TotalSeconds));
}
