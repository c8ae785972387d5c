using System.Globalization;

namespace Keelson.Spec.Units;

/// <summary>An amount of memory or storage in bytes.</summary>
public readonly record struct ByteSize(long Bytes) : IComparable<ByteSize>
{
    /// <summary>No bytes.</summary>
    public static readonly ByteSize Zero = new(0);

    private static readonly (string Suffix, long Factor)[] Suffixes =
    [
        ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40), ("Pi", 1L << 50),
        ("k", 1_000L), ("M", 1_000_000L), ("G", 1_000_000_000L), ("T", 1_000_000_000_000L), ("P", 1_000_000_000_000_000L),
    ];

    /// <summary>The amount in GiB.</summary>
    public double GiB => Bytes / (double)(1L << 30);

    /// <summary>Builds a value from GiB.</summary>
    public static ByteSize FromGiB(double gib) => new((long)Math.Ceiling(gib * (1L << 30)));

    /// <summary>Builds a value from MiB.</summary>
    public static ByteSize FromMiB(long mib) => new(mib << 20);

    /// <summary>Parses a Kubernetes memory quantity: <c>512Mi</c>, <c>1Gi</c>, <c>1G</c>, <c>1048576</c>.</summary>
    public static bool TryParse(string text, out ByteSize value)
    {
        value = Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        foreach (var (suffix, factor) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal))
            {
                var number = text.AsSpan(0, text.Length - suffix.Length);
                if (double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) && n * factor < long.MaxValue / 2)
                {
                    value = new ByteSize((long)Math.Ceiling(n * factor));
                    return true;
                }

                return false;
            }
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
        {
            value = new ByteSize(bytes);
            return true;
        }

        return false;
    }

    /// <summary>Sum of two amounts, held at <see cref="long.MaxValue"/> (or MinValue) instead of wrapping: totals of absurd input must not turn negative.</summary>
    public static ByteSize operator +(ByteSize a, ByteSize b) => new(Saturating.Add(a.Bytes, b.Bytes));

    /// <summary>An amount repeated <paramref name="n"/> times, held at the ends of <see cref="long"/> instead of wrapping.</summary>
    public static ByteSize operator *(ByteSize a, int n) => new(Saturating.Multiply(a.Bytes, n));

    /// <inheritdoc/>
    public int CompareTo(ByteSize other) => Bytes.CompareTo(other.Bytes);

    /// <summary>Compares two amounts.</summary>
    public static bool operator <(ByteSize a, ByteSize b) => a.Bytes < b.Bytes;

    /// <summary>Compares two amounts.</summary>
    public static bool operator >(ByteSize a, ByteSize b) => a.Bytes > b.Bytes;

    /// <summary>Compares two amounts.</summary>
    public static bool operator <=(ByteSize a, ByteSize b) => a.Bytes <= b.Bytes;

    /// <summary>Compares two amounts.</summary>
    public static bool operator >=(ByteSize a, ByteSize b) => a.Bytes >= b.Bytes;

    /// <summary>For people: one decimal in the largest binary unit that keeps the number at least 1, e.g. <c>28.7Gi</c>.</summary>
    public string Display()
    {
        foreach (var (suffix, factor) in new[] { ("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10) })
        {
            if (Math.Abs(Bytes) >= factor)
            {
                var value = Math.Round(Bytes / (double)factor, 1);
                return value.ToString("0.#", CultureInfo.InvariantCulture) + suffix;
            }
        }

        return Bytes.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The largest exact binary unit: <c>1536Mi</c>, <c>2Gi</c>.</summary>
    public override string ToString()
    {
        foreach (var (suffix, factor) in new[] { ("Ti", 1L << 40), ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10) })
        {
            if (Bytes != 0 && Bytes % factor == 0)
            {
                return (Bytes / factor).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return Bytes.ToString(CultureInfo.InvariantCulture);
    }
}
