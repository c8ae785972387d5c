using System.Globalization;
using System.Text;

namespace Keelson.Operations.Alerts;

/// <summary>Formats a float as Go's <c>fmt</c> prints it with <c>%v</c>, which is what Prometheus's <c>{{ $value }}</c> renders.</summary>
public static class GoFloat
{
    /// <summary>Shortest round-trip digits; exponent form when the exponent is below -4 or at least 6 (<c>1e+06</c>).</summary>
    public static string Format(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0" : "0";
        }

        var r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }

        var dot = r.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot < 0 ? r : r[..dot];
        var digits = (intPart + (dot < 0 ? string.Empty : r[(dot + 1)..])).ToCharArray().ToList();
        var dp = intPart.Length + exponent; // value = 0.d1d2... × 10^dp
        while (digits.Count > 0 && digits[0] == '0')
        {
            digits.RemoveAt(0);
            dp--;
        }

        while (digits.Count > 0 && digits[^1] == '0')
        {
            digits.RemoveAt(digits.Count - 1);
        }

        var text = new StringBuilder(value < 0 ? "-" : string.Empty);
        var exp = dp - 1;
        if (exp < -4 || exp >= 6)
        {
            text.Append(digits[0]);
            if (digits.Count > 1)
            {
                text.Append('.').Append(digits.Skip(1).ToArray());
            }

            text.Append('e').Append(exp < 0 ? '-' : '+').Append(Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture));
            return text.ToString();
        }

        if (dp <= 0)
        {
            text.Append("0.").Append('0', -dp).Append(digits.ToArray());
        }
        else if (dp >= digits.Count)
        {
            text.Append(digits.ToArray()).Append('0', dp - digits.Count);
        }
        else
        {
            text.Append(digits.Take(dp).ToArray()).Append('.').Append(digits.Skip(dp).ToArray());
        }

        return text.ToString();
    }
}
