using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Keelson.Sandbox.Server.Protobuf;

/// <summary>Go's <c>time.Duration</c> text form (<c>1h2m3.5s</c>, <c>150ms</c>), which <c>metav1.Duration</c> uses in JSON.</summary>
internal static partial class GoDuration
{
    private static readonly (string Unit, long Nanoseconds)[] Units =
    [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ];

    /// <summary>The duration as Go prints it.</summary>
    public static string Format(long nanoseconds)
    {
        if (nanoseconds == 0)
        {
            return "0s";
        }

        var text = new StringBuilder(nanoseconds < 0 ? "-" : "");
        var value = (decimal)nanoseconds;
        value = Math.Abs(value);
        if (value < 1_000_000_000m)
        {
            // Below a second Go picks the largest unit that keeps an integer part.
            var (unit, size) = value < 1_000m ? ("ns", 1m) : value < 1_000_000m ? ("µs", 1_000m) : ("ms", 1_000_000m);
            return text.Append(Trim(value / size)).Append(unit).ToString();
        }

        var hours = decimal.Floor(value / 3_600_000_000_000m);
        value -= hours * 3_600_000_000_000m;
        var minutes = decimal.Floor(value / 60_000_000_000m);
        value -= minutes * 60_000_000_000m;
        if (hours > 0)
        {
            text.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
        }

        if (hours > 0 || minutes > 0)
        {
            text.Append(minutes.ToString(CultureInfo.InvariantCulture)).Append('m');
        }

        return text.Append(Trim(value / 1_000_000_000m)).Append('s').ToString();
    }

    /// <summary>Reads Go's duration syntax: signed, a sequence of decimal numbers each with a unit.</summary>
    public static bool TryParse(string text, out long nanoseconds)
    {
        nanoseconds = 0;
        if (text is "0" or "-0" or "+0")
        {
            return true;
        }

        var match = DurationPattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var total = 0m;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unitStart = part.Value.IndexOfAny(['n', 'u', 'µ', 'μ', 'm', 's', 'h']);
            var number = decimal.Parse(part.Value[..unitStart], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
            total += number * Units.First(u => u.Unit == part.Value[unitStart..]).Nanoseconds;
        }

        if (total > long.MaxValue)
        {
            return false;
        }

        nanoseconds = (long)decimal.Truncate(match.Groups["sign"].Value == "-" ? -total : total);
        return true;
    }

    private static string Trim(decimal value) => value.ToString("0.#########", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<sign>[-+]?)(?<part>(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();
}
