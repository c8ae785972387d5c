namespace Keelson.Spec.Units;

/// <summary>
/// 64-bit arithmetic that stops at <see cref="long.MaxValue"/> and <see cref="long.MinValue"/> instead of wrapping or
/// throwing: quantities near 2⁶³ are valid Kubernetes input, and a total of them must stay a (huge) total.
/// </summary>
public static class Saturating
{
    /// <summary><paramref name="a"/> + <paramref name="b"/>, clamped.</summary>
    public static long Add(long a, long b)
    {
        var sum = unchecked(a + b);

        // Overflow happened when both operands share a sign that the result does not.
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a < 0 ? long.MinValue : long.MaxValue) : sum;
    }

    /// <summary><paramref name="a"/> × <paramref name="b"/>, clamped.</summary>
    public static long Multiply(long a, long b)
    {
        var product = (Int128)a * b;
        return product > long.MaxValue ? long.MaxValue : product < long.MinValue ? long.MinValue : (long)product;
    }

    /// <summary>The sum of a sequence, clamped.</summary>
    public static long Sum(IEnumerable<long> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var total = 0L;
        foreach (var v in values)
        {
            total = Add(total, v);
        }

        return total;
    }
}
