using System.Globalization;
using System.Text.RegularExpressions;
using Keelson.Spec.Schema;
using Keelson.Spec.Units;

namespace Keelson.Spec.Parsing;

/// <summary>Syntax of the scalar types of the stack format, shared by the checker and the binder.</summary>
public static partial class Scalars
{
    /// <summary>Pattern of <see cref="ScalarType"/> values checked by <c>DnsLabelRegex</c>.</summary>
    public const string DnsLabelPattern = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";

    /// <summary>Pattern of <see cref="ScalarType"/> values checked by <c>HostnameRegex</c>.</summary>
    public const string HostnamePattern = @"^(?=.{1,253}$)(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>Pattern of <see cref="ScalarType"/> values checked by <c>LabelKeyRegex</c>.</summary>
    public const string LabelKeyPattern = @"^(([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$";

    /// <summary>Pattern of <see cref="ScalarType"/> values checked by <c>LabelValueRegex</c>.</summary>
    public const string LabelValuePattern = @"^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$";

    /// <summary>Pattern of <see cref="ScalarType"/> values checked by <c>EnvNameRegex</c>.</summary>
    public const string EnvNamePattern = "^[A-Za-z_][A-Za-z0-9_]*$";

    /// <summary>Pattern of <see cref="ScalarType"/> values checked by <c>DurationRegex</c>.</summary>
    public const string DurationPattern = @"^([0-9]+(\.[0-9]+)?)(ms|s|m|h|d)$";

    /// <summary>Pattern of <see cref="ScalarType.HttpUrl"/> values.</summary>
    public const string HttpUrlPattern = "^https?://[^/?#\\s]+(/[^?#\\s]*)?$";

    /// <summary>Pattern of <see cref="ScalarType.ModelName"/> values (the registry's own rule).</summary>
    public const string ModelNamePattern = "^[a-z0-9][a-z0-9._-]{0,62}$";

    /// <summary>Pattern of <see cref="ScalarType.ModelAlias"/> values (the registry's own rule).</summary>
    public const string ModelAliasPattern = "^[a-z][a-z0-9_-]{0,62}$";

    /// <summary>Pattern of <see cref="ScalarType"/> values checked by <c>ImageRegex</c>.</summary>
    public const string ImagePattern = @"^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$";

    /// <summary>Pattern of <see cref="ScalarType"/> values checked by <c>CronFieldRegex</c>.</summary>
    public const string CronFieldPattern = @"^(\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?(,(\*|[0-9]+(-[0-9]+)?)(/[0-9]+)?)*$";

    [GeneratedRegex(DnsLabelPattern)]
    private static partial Regex DnsLabelRegex();

    [GeneratedRegex(HostnamePattern)]
    private static partial Regex HostnameRegex();

    [GeneratedRegex(LabelKeyPattern)]
    private static partial Regex LabelKeyRegex();

    [GeneratedRegex(LabelValuePattern)]
    private static partial Regex LabelValueRegex();

    [GeneratedRegex(EnvNamePattern)]
    private static partial Regex EnvNameRegex();

    [GeneratedRegex(DurationPattern)]
    private static partial Regex DurationRegex();

    [GeneratedRegex(HttpUrlPattern)]
    private static partial Regex HttpUrlRegex();

    [GeneratedRegex(ModelNamePattern)]
    private static partial Regex ModelNameRegex();

    [GeneratedRegex(ModelAliasPattern)]
    private static partial Regex ModelAliasRegex();

    [GeneratedRegex(ImagePattern)]
    private static partial Regex ImageRegex();

    [GeneratedRegex(CronFieldPattern)]
    private static partial Regex CronFieldRegex();

    private static readonly (int Min, int Max, string Name)[] CronFields =
        [(0, 59, "minute"), (0, 23, "hour"), (1, 31, "day of month"), (1, 12, "month"), (0, 7, "day of week")];

    /// <summary>The regular expression a scalar type must match, for the JSON Schema; null when none applies.</summary>
    public static string? Pattern(ScalarType type) => type switch
    {
        ScalarType.DnsLabel => DnsLabelPattern,
        ScalarType.Hostname => HostnamePattern,
        ScalarType.LabelKey => LabelKeyPattern,
        ScalarType.LabelValue => LabelValuePattern,
        ScalarType.EnvName => EnvNamePattern,
        ScalarType.Duration => DurationPattern,
        ScalarType.Image => ImagePattern,
        ScalarType.Cpu => "^([0-9]+m|[0-9]+(\\.[0-9]+)?)$",
        ScalarType.Memory => "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$",
        ScalarType.Percent => "^[0-9]+(\\.[0-9]+)?%?$",
        ScalarType.UrlPath => "^/[^ ]*$",
        ScalarType.TimeOfDay => TimeOfDayPattern,
        ScalarType.HttpUrl => HttpUrlPattern,
        ScalarType.ModelName => ModelNamePattern,
        ScalarType.ModelAlias => ModelAliasPattern,
        _ => null,
    };

    /// <summary>Checks a scalar against its type; returns null when valid, else what is allowed.</summary>
    public static string? Check(ScalarType type, string text) => type switch
    {
        ScalarType.Text => null,
        ScalarType.DnsLabel => DnsLabelRegex().IsMatch(text) ? null : "a DNS-1123 label: lower-case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters",
        ScalarType.Hostname => HostnameRegex().IsMatch(text) ? null : "a lower-case DNS host name such as api.example.com (a leading '*.' is allowed)",
        ScalarType.LabelKey => LabelKeyRegex().IsMatch(text) ? null : "a label key: an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' or '.'",
        ScalarType.LabelValue => LabelValueRegex().IsMatch(text) ? null : "a label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
        ScalarType.EnvName => EnvNameRegex().IsMatch(text) ? null : "a name of letters, digits and '_', not starting with a digit",
        ScalarType.WholeNumber => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? null : "an integer between -2147483648 and 2147483647",
        ScalarType.Number => TryNumber(text, out _) ? null : "a number",
        ScalarType.Boolean => text is "true" or "false" ? null : "true or false",
        ScalarType.Cpu => MilliCpu.TryParse(text, out _) ? null : "a CPU quantity such as 250m, 1 or 1.5",
        ScalarType.Memory => ByteSize.TryParse(text, out _) ? null : "a quantity such as 512Mi, 2Gi or 1G",
        ScalarType.Percent => TryPercent(text, out _) ? null : "a percentage such as 99.9% or 99.9",
        ScalarType.Duration => TryDuration(text, out _) ? null : "a duration such as 150ms, 20s, 5m, 2h or 1d, at most 3650d",
        ScalarType.Cron => CheckCron(text),
        ScalarType.Image => ImageRegex().IsMatch(text) ? null : "an image reference such as registry.example.com/team/app:1.2.3",
        ScalarType.UrlPath => text.StartsWith('/') && !text.Contains(' ', StringComparison.Ordinal) ? null : "a path starting with '/'",
        ScalarType.TimeOfDay => TryTimeOfDay(text, out _) ? null : "a time of day HH:MM between 00:00 and 24:00",
        ScalarType.HttpUrl => HttpUrlRegex().IsMatch(text) && Uri.TryCreate(text, UriKind.Absolute, out _) ? null : "an http:// or https:// URL such as http://keelson.keelson-system:8001",
        ScalarType.ModelName => ModelNameRegex().IsMatch(text) ? null : "a model name of 1-63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit",
        ScalarType.ModelAlias => ModelAliasRegex().IsMatch(text) ? null : "an alias of 1-63 lowercase letters, digits, '_' or '-', starting with a letter (e.g. production, staging)",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The pattern of a time of day, <c>00:00</c> to <c>24:00</c>.</summary>
    public const string TimeOfDayPattern = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$";

    /// <summary>Parses <c>HH:MM</c> (00:00–24:00) as the time since midnight.</summary>
    public static bool TryTimeOfDay(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (text.Length != 5 || text[2] != ':' || !int.TryParse(text.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours)
            || !int.TryParse(text.AsSpan(3, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes > 59 || hours > 24 || (hours == 24 && minutes > 0))
        {
            return false;
        }

        value = new TimeSpan(hours, minutes, 0);
        return true;
    }

    /// <summary>Parses an invariant-culture decimal number.</summary>
    public static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value)
        && double.IsFinite(value);

    /// <summary>Parses <c>99.9%</c> or <c>99.9</c> as 99.9.</summary>
    public static bool TryPercent(string text, out double value)
    {
        var body = text.EndsWith('%') ? text[..^1] : text;
        return TryNumber(body, out value) && value is >= 0 and <= 100;
    }

    /// <summary>Longest duration accepted, in days.</summary>
    public const int MaxDurationDays = 3650;

    /// <summary>Parses <c>150ms</c>, <c>20s</c>, <c>5m</c>, <c>2h</c>, <c>1d</c>, up to <see cref="MaxDurationDays"/> days.</summary>
    public static bool TryDuration(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var match = DurationRegex().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var n = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var days = match.Groups[3].Value switch
        {
            "ms" => n / 86_400_000,
            "s" => n / 86_400,
            "m" => n / 1_440,
            "h" => n / 24,
            _ => n,
        };

        // Nothing Keelson schedules runs longer than ten years; larger values are typos and would overflow.
        if (days > MaxDurationDays)
        {
            return false;
        }

        value = TimeSpan.FromDays(days);
        return true;
    }

    private static string? CheckCron(string text)
    {
        if (text.StartsWith('@'))
        {
            return text is "@yearly" or "@annually" or "@monthly" or "@weekly" or "@daily" or "@midnight" or "@hourly"
                ? null
                : "one of @yearly, @monthly, @weekly, @daily, @hourly, or five fields 'minute hour day-of-month month day-of-week'";
        }

        var parts = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
        {
            return string.Create(CultureInfo.InvariantCulture, $"five cron fields 'minute hour day-of-month month day-of-week' (found {parts.Length})");
        }

        for (var i = 0; i < 5; i++)
        {
            var (min, max, name) = CronFields[i];
            if (!CronFieldRegex().IsMatch(parts[i]))
            {
                return $"a cron schedule; the {name} field '{parts[i]}' is not a number, range, list or step";
            }

            foreach (Match number in Regex.Matches(parts[i].Split('/')[0], "[0-9]+"))
            {
                if (!int.TryParse(number.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
                {
                    return string.Create(CultureInfo.InvariantCulture, $"a cron schedule; the {name} field allows {min}–{max}, not {number.Value}");
                }
            }
        }

        return null;
    }
}
