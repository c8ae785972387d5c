using System.Globalization;

namespace Keelson.Spec.Units;

/// <summary>CPU in thousandths of a core, the unit Kubernetes uses for CPU quantities.</summary>
public readonly record struct MilliCpu(long Value) : IComparable<MilliCpu>
{
    /// <summary>No CPU.</summary>
    public static readonly MilliCpu Zero = new(0);

    /// <summary>Whole or fractional cores.</summary>
    public double Cores => Value / 1000.0;

    /// <summary>Builds a value from cores, rounding up to the next millicore.</summary>
    public static MilliCpu FromCores(double cores) => new((long)Math.Ceiling(cores * 1000 - 1e-9));

    /// <summary>Parses a Kubernetes CPU quantity: <c>500m</c>, <c>2</c>, <c>1.5</c>.</summary>
    public static bool TryParse(string text, out MilliCpu value)
    {
        value = Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (text.EndsWith('m'))
        {
            if (long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var milli))
            {
                value = new MilliCpu(milli);
                return true;
            }

            return false;
        }

        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var cores) && cores < 1e9)
        {
            value = FromCores(cores);
            return true;
        }

        return false;
    }

    /// <summary>Sum of two amounts, held at <see cref="long.MaxValue"/> (or MinValue) instead of wrapping: totals of absurd input must not turn negative.</summary>
    public static MilliCpu operator +(MilliCpu a, MilliCpu b) => new(Saturating.Add(a.Value, b.Value));

    /// <summary>An amount repeated <paramref name="n"/> times, held at the ends of <see cref="long"/> instead of wrapping.</summary>
    public static MilliCpu operator *(MilliCpu a, int n) => new(Saturating.Multiply(a.Value, n));

    /// <inheritdoc/>
    public int CompareTo(MilliCpu other) => Value.CompareTo(other.Value);

    /// <summary>Compares two amounts.</summary>
    public static bool operator <(MilliCpu a, MilliCpu b) => a.Value < b.Value;

    /// <summary>Compares two amounts.</summary>
    public static bool operator >(MilliCpu a, MilliCpu b) => a.Value > b.Value;

    /// <summary>Compares two amounts.</summary>
    public static bool operator <=(MilliCpu a, MilliCpu b) => a.Value <= b.Value;

    /// <summary>Compares two amounts.</summary>
    public static bool operator >=(MilliCpu a, MilliCpu b) => a.Value >= b.Value;

    /// <summary>The Kubernetes form: whole cores as a plain number, otherwise millicores.</summary>
    public override string ToString() =>
        Value % 1000 == 0
            ? (Value / 1000).ToString(CultureInfo.InvariantCulture)
            : Value.ToString(CultureInfo.InvariantCulture) + "m";
}
