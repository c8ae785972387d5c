using System.Globalization;

namespace Keelson.Validation.Checks;

/// <summary>
/// Reads any Kubernetes resource quantity (<c>500m</c>, <c>1.5</c>, <c>2Gi</c>, <c>1e3</c>, <c>10E</c>) for totals.
/// Sums of quantities near 2⁶³ must neither overflow nor be dropped as unreadable, so values are read as doubles and
/// converted with saturation.
/// </summary>
public static class KubeQuantity
{
    private static readonly (string Suffix, double Factor)[] Suffixes =
    [
        ("Ki", 1024d), ("Mi", Math.Pow(1024, 2)), ("Gi", Math.Pow(1024, 3)), ("Ti", Math.Pow(1024, 4)), ("Pi", Math.Pow(1024, 5)), ("Ei", Math.Pow(1024, 6)),
        ("n", 1e-9), ("u", 1e-6), ("m", 1e-3), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18),
    ];

    /// <summary>The value of a quantity in base units (cores, bytes), or false when the text is not a quantity.</summary>
    public static bool TryParse(string? text, out double value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var factor = 1d;
        var number = text;
        foreach (var (suffix, f) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && text.Length > suffix.Length && char.IsAsciiDigit(text[^(suffix.Length + 1)]) is var digitBefore && (digitBefore || text[^(suffix.Length + 1)] == '.'))
            {
                factor = f;
                number = text[..^suffix.Length];
                break;
            }
        }

        if (!double.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | (factor == 1 ? NumberStyles.AllowExponent : 0), CultureInfo.InvariantCulture, out var n)
            || !double.IsFinite(n * factor))
        {
            return false;
        }

        value = n * factor;
        return true;
    }

    /// <summary>A quantity in thousandths (millicores), held within <see cref="long"/>; 0 when unreadable or negative.</summary>
    public static long Milli(string? text) => TryParse(text, out var v) ? Clamp(Math.Ceiling(v * 1000)) : 0;

    /// <summary>A quantity in base units (bytes), held within <see cref="long"/>; 0 when unreadable or negative.</summary>
    public static long Units(string? text) => TryParse(text, out var v) ? Clamp(Math.Ceiling(v)) : 0;

    private static long Clamp(double v) => v <= 0 ? 0 : v >= long.MaxValue ? long.MaxValue : (long)v;
}
