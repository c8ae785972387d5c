using System.Globalization;
using System.Text.RegularExpressions;

namespace Keelson.Validation.ApiServer;

/// <summary>
/// The schedule syntax a CronJob accepts: <c>cron.ParseStandard</c> of robfig/cron v3, which the API server calls in
/// <c>validateScheduleFormat</c>. Five fields (minute, hour, day of month, month, day of week) or a descriptor.
/// </summary>
public static partial class CronSchedule
{
    private static readonly (string Name, int Min, int Max, string[]? Names)[] Fields =
    [
        ("minute", 0, 59, null),
        ("hour", 0, 23, null),
        ("day of month", 1, 31, null),
        ("month", 1, 12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
        ("day of week", 0, 6, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]),
    ];

    private static readonly string[] Descriptors = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"];

    // Go's time.ParseDuration, which @every uses.
    [GeneratedRegex(@"^([0-9]*(\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex GoDuration();

    /// <summary>What is wrong with a schedule, or null when robfig/cron parses it.</summary>
    public static string? Problem(string schedule)
    {
        if (schedule.StartsWith('@'))
        {
            if (schedule.StartsWith("@every ", StringComparison.Ordinal))
            {
                var duration = schedule[7..];
                return GoDuration().IsMatch(duration) && duration.Any(char.IsAsciiDigit) ? null : $"'{duration}' is not a duration such as 90s or 1h30m";
            }

            return Descriptors.Contains(schedule, StringComparer.Ordinal) ? null : $"unrecognized descriptor: {schedule}";
        }

        var fields = schedule.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 5)
        {
            return $"expected exactly 5 fields, found {fields.Length}";
        }

        for (var i = 0; i < 5; i++)
        {
            foreach (var range in fields[i].Split(','))
            {
                if (Range(range, Fields[i]) is { } problem)
                {
                    return $"{Fields[i].Name} '{fields[i]}': {problem}";
                }
            }
        }

        return null;
    }

    private static string? Range(string expression, (string Name, int Min, int Max, string[]? Names) field)
    {
        var parts = expression.Split('/');
        if (parts.Length > 2)
        {
            return $"too many slashes in '{expression}'";
        }

        var bounds = parts[0].Split('-');
        if (parts[0] is "*" or "?")
        {
            // The whole range.
        }
        else if (bounds.Length > 2)
        {
            return $"too many hyphens in '{expression}'";
        }
        else
        {
            if (Value(bounds[0], field) is not { } start)
            {
                return $"'{bounds[0]}' is not a value of {field.Min}–{field.Max}";
            }

            var end = start;
            if (bounds.Length == 2 && Value(bounds[1], field) is not { } last)
            {
                return $"'{bounds[1]}' is not a value of {field.Min}–{field.Max}";
            }
            else if (bounds.Length == 2)
            {
                end = Value(bounds[1], field)!.Value;
            }

            if (start < field.Min || end > field.Max)
            {
                return $"values must be {field.Min}–{field.Max}";
            }

            if (start > end)
            {
                return $"beginning of range ({start}) beyond end of range ({end})";
            }
        }

        if (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var step) || step <= 0))
        {
            return $"step '{parts[1]}' must be a positive number";
        }

        return null;
    }

    private static int? Value(string text, (string Name, int Min, int Max, string[]? Names) field)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        var index = field.Names is null ? -1 : Array.IndexOf(field.Names, text.ToLowerInvariant());
        return index < 0 ? null : index + field.Min;
    }
}
