using System.Globalization;
using System.Text;

namespace Keelson.Operations.Alerts;

/// <summary>Prometheus-style durations (<c>5m</c>, <c>1h30m</c>, <c>15s</c>, <c>250ms</c>): parsing and the canonical form.</summary>
public static class PromDuration
{
    private static readonly (string Unit, long Millis)[] Units =
    [
        ("y", 365L * 24 * 3600 * 1000), ("w", 7L * 24 * 3600 * 1000), ("d", 24L * 3600 * 1000),
        ("h", 3600L * 1000), ("m", 60L * 1000), ("s", 1000L), ("ms", 1L),
    ];

    /// <summary>Parses <paramref name="text"/>; units must appear largest first, each at most once. Null with an error otherwise.</summary>
    public static TimeSpan? TryParse(string text, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "a duration such as 15s, 5m or 1h30m";
            return null;
        }

        long total = 0;
        var position = 0;
        var lastUnit = -1;
        while (position < text.Length)
        {
            var start = position;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }

            if (position == start)
            {
                error = $"a number at '{text[start..]}' (durations look like 15s, 5m, 1h30m; negative durations are not allowed)";
                return null;
            }

            var number = long.Parse(text.AsSpan(start, position - start), CultureInfo.InvariantCulture);
            var unitIndex = -1;
            // "ms" before "m": try the two-letter unit first.
            if (position + 1 < text.Length && text[position] == 'm' && text[position + 1] == 's')
            {
                unitIndex = Units.Length - 1;
            }
            else if (position < text.Length)
            {
                unitIndex = Array.FindIndex(Units, u => u.Unit.Length == 1 && u.Unit[0] == text[position]);
            }

            if (unitIndex < 0)
            {
                error = $"a unit (ms, s, m, h, d, w, y) after {number}, not '{(position < text.Length ? text[position].ToString() : "end of text")}'";
                return null;
            }

            if (unitIndex <= lastUnit)
            {
                error = $"units from largest to smallest, each once ('{Units[unitIndex].Unit}' is out of order)";
                return null;
            }

            lastUnit = unitIndex;
            position += Units[unitIndex].Unit.Length;
            total = checked(total + (number * Units[unitIndex].Millis));
        }

        return TimeSpan.FromMilliseconds(total);
    }

    /// <summary>Parses or throws <see cref="FormatException"/>.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var error) ?? throw new FormatException($"invalid duration '{text}': expected {error}");

    /// <summary>The canonical Prometheus form: <c>1h30m</c>, <c>0s</c> for zero.</summary>
    public static string Format(TimeSpan duration)
    {
        var millis = (long)duration.TotalMilliseconds;
        if (millis == 0)
        {
            return "0s";
        }

        var text = new StringBuilder();
        foreach (var (unit, size) in Units)
        {
            if (millis >= size)
            {
                text.Append(CultureInfo.InvariantCulture, $"{millis / size}{unit}");
                millis %= size;
            }
        }

        return text.ToString();
    }
}
