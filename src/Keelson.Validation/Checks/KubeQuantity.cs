using System.Globalization;
using System.Text.RegularExpressions;

namespace Keelson.Validation.Checks;

/// <summary>
/// Reads any Kubernetes resource quantity (<c>500m</c>, <c>1.5</c>, <c>2Gi</c>, <c>1e3</c>, <c>10E</c>), for totals and
/// for the API-server rules' comparisons. Sums of quantities near 2⁶³ must neither overflow nor be dropped as
/// unreadable, so values are read as doubles and converted with saturation.
/// </summary>
public static partial class KubeQuantity
{
    [GeneratedRegex(@"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$")]
    private static partial Regex Syntax();

    /// <summary>The value of <c>512Mi</c>, <c>250m</c>, <c>1e3</c> in base units, or null when it does not parse (the schema walker reports that).</summary>
    /// <remarks>A double: enough to order and sum quantities; the last digits of 19-digit quantities do not matter for that.</remarks>
    public static double? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = Syntax().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var suffix = match.Groups[2].Value;
        var exponent = 0;
        if (suffix.Length > 1 && suffix != "Ei" && suffix[0] is 'e' or 'E' && !int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
        {
            return null;
        }

        var number = double.Parse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
        var scale = suffix switch
        {
            "" => 1d,
            "Ki" => 1024d,
            "Mi" => Math.Pow(1024, 2),
            "Gi" => Math.Pow(1024, 3),
            "Ti" => Math.Pow(1024, 4),
            "Pi" => Math.Pow(1024, 5),
            "Ei" => Math.Pow(1024, 6),
            "n" => 1e-9,
            "u" => 1e-6,
            "m" => 1e-3,
            "k" => 1e3,
            "M" => 1e6,
            "G" => 1e9,
            "T" => 1e12,
            "P" => 1e15,
            "E" => 1e18,
            _ => Math.Pow(10, exponent),
        };
        return number * scale;
    }

    /// <summary>The value of a quantity in base units (cores, bytes), or false when the text is not a finite quantity.</summary>
    public static bool TryParse(string? text, out double value)
    {
        value = text is not null && Parse(text) is { } parsed && double.IsFinite(parsed) ? parsed : double.NaN;
        if (double.IsNaN(value))
        {
            value = 0;
            return false;
        }

        return true;
    }

    /// <summary>A quantity in thousandths (millicores), held within <see cref="long"/>; 0 when unreadable or negative.</summary>
    public static long Milli(string? text) => TryParse(text, out var v) ? Clamp(Math.Ceiling(v * 1000)) : 0;

    /// <summary>A quantity in base units (bytes), held within <see cref="long"/>; 0 when unreadable or negative.</summary>
    public static long Units(string? text) => TryParse(text, out var v) ? Clamp(Math.Ceiling(v)) : 0;

    private static long Clamp(double v) => v <= 0 ? 0 : v >= long.MaxValue ? long.MaxValue : (long)v;
}
