using System.Globalization;
using System.Text.RegularExpressions;

namespace Keelson.Validation.ApiServer;

/// <summary>A resource quantity's value as a number, to compare requests with limits and test for zero or negatives.</summary>
public static partial class Quantity
{
    [GeneratedRegex(@"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$")]
    private static partial Regex Syntax();

    /// <summary>The value of <c>512Mi</c>, <c>250m</c>, <c>1e3</c>, or null when it does not parse (the schema walker reports that).</summary>
    /// <remarks>A double: enough to order quantities; the last digits of 19-digit quantities do not matter for that.</remarks>
    public static double? Parse(string text)
    {
        var match = Syntax().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var suffix = match.Groups[2].Value;
        if (suffix.Length > 1 && suffix != "Ei" && suffix[0] is 'e' or 'E' && !int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
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
            _ => Math.Pow(10, int.Parse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
        };
        return number * scale;
    }
}
