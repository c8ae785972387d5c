namespace Keelson.Operations.Monitoring;

/// <summary>How long the metric store keeps raw samples, 1-minute roll-ups and 1-hour roll-ups.</summary>
/// <param name="Raw">Raw pushed samples; pushes older than this are refused.</param>
/// <param name="MinuteRollups">1-minute roll-ups, at least <paramref name="Raw"/>.</param>
/// <param name="HourRollups">1-hour roll-ups, at least <paramref name="MinuteRollups"/>.</param>
public sealed record RetentionWindows(TimeSpan Raw, TimeSpan MinuteRollups, TimeSpan HourRollups)
{
    /// <summary>The longest window accepted: ten years, so every cut stays a representable time.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(3650);

    /// <summary>What is wrong with the windows, by field (<c>retention</c>, <c>minute_rollup_retention</c>, <c>hour_rollup_retention</c>); empty when they may be used.</summary>
    public IReadOnlyDictionary<string, string> Problems()
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (field, value) in new[] { ("retention", Raw), ("minute_rollup_retention", MinuteRollups), ("hour_rollup_retention", HourRollups) })
        {
            if (value < TimeSpan.FromMinutes(1) || value > Longest)
            {
                problems[field] = $"{field} must be from 1 minute to {Longest.TotalDays:0} days";
            }
        }

        if (!problems.ContainsKey("minute_rollup_retention") && MinuteRollups < Raw)
        {
            problems["minute_rollup_retention"] = "minute_rollup_retention must be at least retention: roll-ups answer for what raw samples no longer cover";
        }

        if (!problems.ContainsKey("hour_rollup_retention") && HourRollups < MinuteRollups)
        {
            problems["hour_rollup_retention"] = "hour_rollup_retention must be at least minute_rollup_retention";
        }

        return problems;
    }
}

/// <summary>Retention set through the API, with who set it and when.</summary>
/// <param name="Windows">The windows in force.</param>
/// <param name="UpdatedAt">When they were set.</param>
/// <param name="UpdatedBy">Who set them (the key's name).</param>
public sealed record RetentionOverride(RetentionWindows Windows, DateTimeOffset UpdatedAt, string UpdatedBy);
