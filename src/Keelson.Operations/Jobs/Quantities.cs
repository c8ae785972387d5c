using System.Globalization;

namespace Keelson.Operations.Jobs;

/// <summary>An amount of the three resources queues account for: CPU in millicores, memory in bytes, GPUs as a count.</summary>
public readonly record struct Quantities(long MilliCpu, long MemoryBytes, long Gpus)
{
    /// <summary>Nothing.</summary>
    public static readonly Quantities Zero = new(0, 0, 0);

    /// <summary>As much as can be counted: an unlimited borrowing limit.</summary>
    public static readonly Quantities Unlimited = new(long.MaxValue / 4, long.MaxValue / 4, long.MaxValue / 4);

    /// <summary>True when no resource is negative.</summary>
    public bool IsNonNegative => MilliCpu >= 0 && MemoryBytes >= 0 && Gpus >= 0;

    /// <summary>Sum, saturating far below overflow.</summary>
    public static Quantities operator +(Quantities a, Quantities b) =>
        new(Add(a.MilliCpu, b.MilliCpu), Add(a.MemoryBytes, b.MemoryBytes), Add(a.Gpus, b.Gpus));

    /// <summary>Difference.</summary>
    public static Quantities operator -(Quantities a, Quantities b) =>
        new(a.MilliCpu - b.MilliCpu, a.MemoryBytes - b.MemoryBytes, a.Gpus - b.Gpus);

    /// <summary>One pod's request times a pod count.</summary>
    public static Quantities operator *(Quantities a, int n) =>
        new(Multiply(a.MilliCpu, n), Multiply(a.MemoryBytes, n), Multiply(a.Gpus, n));

    /// <summary>True when every resource of this is at most the same resource of <paramref name="limit"/>.</summary>
    public bool FitsIn(Quantities limit) => MilliCpu <= limit.MilliCpu && MemoryBytes <= limit.MemoryBytes && Gpus <= limit.Gpus;

    /// <summary>Per resource, the larger of the two.</summary>
    public static Quantities Max(Quantities a, Quantities b) =>
        new(Math.Max(a.MilliCpu, b.MilliCpu), Math.Max(a.MemoryBytes, b.MemoryBytes), Math.Max(a.Gpus, b.Gpus));

    /// <summary>The resources of this that exceed <paramref name="limit"/>, for messages: <c>cpu 4000m &gt; 2000m</c>.</summary>
    public string Excess(Quantities limit)
    {
        var parts = new List<string>();
        if (MilliCpu > limit.MilliCpu)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"cpu {MilliCpu}m > {limit.MilliCpu}m"));
        }

        if (MemoryBytes > limit.MemoryBytes)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"memory {MemoryBytes} B > {limit.MemoryBytes} B"));
        }

        if (Gpus > limit.Gpus)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"gpu {Gpus} > {limit.Gpus}"));
        }

        return string.Join(", ", parts);
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"cpu={MilliCpu}m memory={MemoryBytes} gpu={Gpus}");

    private static long Add(long a, long b) => Math.Min(a + b, Unlimited.MilliCpu);

    private static long Multiply(long a, int n) => a > Unlimited.MilliCpu / Math.Max(n, 1) ? Unlimited.MilliCpu : a * n;
}
