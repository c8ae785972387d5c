using System.Globalization;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Durations as kubectl prints ages (its <c>HumanDuration</c>): <c>45s</c>, <c>5m30s</c>, <c>3h12m</c>, <c>4d6h</c>.</summary>
public static class Age
{
    /// <summary>A duration in kubectl's compact form.</summary>
    public static string Format(TimeSpan duration)
    {
        var seconds = (long)duration.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 120)
        {
            return Invariant($"{Math.Max(seconds, 0)}s");
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return seconds % 60 == 0 ? Invariant($"{minutes}m") : Invariant($"{minutes}m{seconds % 60}s");
        }

        if (minutes < 180)
        {
            return Invariant($"{minutes}m");
        }

        var hours = minutes / 60;
        return hours switch
        {
            < 8 => minutes % 60 == 0 ? Invariant($"{hours}h") : Invariant($"{hours}h{minutes % 60}m"),
            < 48 => Invariant($"{hours}h"),
            < 24 * 8 => hours % 24 == 0 ? Invariant($"{hours / 24}d") : Invariant($"{hours / 24}d{hours % 24}h"),
            < 24 * 365 * 2 => Invariant($"{hours / 24}d"),
            < 24 * 365 * 8 => (hours / 24) % 365 == 0 ? Invariant($"{hours / 24 / 365}y") : Invariant($"{hours / 24 / 365}y{(hours / 24) % 365}d"),
            _ => Invariant($"{hours / 24 / 365}y"),
        };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
