using Keelson.Operations.Monitoring;

namespace Keelson.Operations.Alerts;

/// <summary>
/// Evaluates a condition for one tenant at one instant with the semantics of the Prometheus that Debian ships (2.42):
/// a plain selector takes the latest sample in the closed lookback window [t-5m, t]; range functions see [t-range, t];
/// rate is Prometheus's extrapolated rate. A tenant's series carry the labels <c>tenant</c> and <c>__name__</c>, so every
/// sub-expression yields at most one series and <c>and</c>/<c>or</c> reduce to presence tests.
/// </summary>
public static class ConditionEvaluator
{
    /// <summary>Prometheus's default lookback delta (staleness window for plain selectors).</summary>
    public static readonly TimeSpan Lookback = TimeSpan.FromMinutes(5);

    /// <summary>The condition's value at <paramref name="at"/> (the left-most surviving operand, as PromQL keeps the left side), or null when it is empty.</summary>
    /// <param name="condition">The parsed condition.</param>
    /// <param name="tenantId">The tenant, matched against <c>tenant</c> label matchers.</param>
    /// <param name="at">The evaluation instant.</param>
    /// <param name="series">The tenant's samples of one metric, ordered by time.</param>
    public static double? Evaluate(Condition condition, string tenantId, DateTimeOffset at, Func<string, IReadOnlyList<MetricSample>> series)
    {
        ArgumentNullException.ThrowIfNull(condition);
        ArgumentNullException.ThrowIfNull(series);
        switch (condition)
        {
            case Comparison comparison:
                var value = Value(comparison.Left, tenantId, at, series);
                return value is { } v && comparison.Passes(v) ? v : null;
            case Logical { IsAnd: true } and:
                var left = Evaluate(and.Left, tenantId, at, series);
                return left is null ? null : Evaluate(and.Right, tenantId, at, series) is null ? null : left;
            case Logical or:
                return Evaluate(or.Left, tenantId, at, series) ?? Evaluate(or.Right, tenantId, at, series);
            default:
                throw new ArgumentOutOfRangeException(nameof(condition));
        }
    }

    /// <summary>How far back evaluation at an instant reads: the longest window plus the lookback.</summary>
    public static TimeSpan Reach(Condition condition) =>
        Lookback + MaxRange(condition);

    private static TimeSpan MaxRange(Condition condition) => condition switch
    {
        Comparison c => c.Left.Range,
        Logical l => MaxRange(l.Left) > MaxRange(l.Right) ? MaxRange(l.Left) : MaxRange(l.Right),
        _ => TimeSpan.Zero,
    };

    /// <summary>The operand's value, or null when its series is absent at <paramref name="at"/>.</summary>
    public static double? Value(Operand operand, string tenantId, DateTimeOffset at, Func<string, IReadOnlyList<MetricSample>> series)
    {
        ArgumentNullException.ThrowIfNull(operand);
        ArgumentNullException.ThrowIfNull(series);
        if (!Selects(operand.Selector, tenantId))
        {
            return null;
        }

        var samples = series(operand.Selector.Metric);
        var t = at.ToUnixTimeMilliseconds();
        if (operand.Function is not { } function)
        {
            var from = t - (long)Lookback.TotalMilliseconds;
            for (var i = samples.Count - 1; i >= 0; i--)
            {
                var st = samples[i].Timestamp.ToUnixTimeMilliseconds();
                if (st <= t)
                {
                    return st >= from ? samples[i].Value : null;
                }
            }

            return null;
        }

        var rangeStart = t - (long)operand.Range.TotalMilliseconds;
        var window = new List<(long T, double V)>();
        foreach (var sample in samples)
        {
            var st = sample.Timestamp.ToUnixTimeMilliseconds();
            if (st >= rangeStart && st <= t)
            {
                window.Add((st, sample.Value));
            }
        }

        if (window.Count == 0)
        {
            return null;
        }

        return function switch
        {
            RangeFunction.Avg => Avg(window),
            RangeFunction.Sum => Sum(window),
            RangeFunction.Max => window.Select(p => p.V).Aggregate((m, v) => v > m || double.IsNaN(m) ? v : m),
            RangeFunction.Min => window.Select(p => p.V).Aggregate((m, v) => v < m || double.IsNaN(m) ? v : m),
            RangeFunction.Count => window.Count,
            _ => Rate(window, rangeStart, t, operand.Range),
        };
    }

    /// <summary>True when the tenant's series (labels <c>tenant</c>, <c>__name__</c>) pass the selector's matchers.</summary>
    public static bool Selects(MetricSelectorExpr selector, string tenantId)
    {
        ArgumentNullException.ThrowIfNull(selector);
        foreach (var matcher in selector.Matchers)
        {
            var actual = matcher.Label switch { "tenant" => tenantId, "__name__" => selector.Metric, _ => string.Empty };
            if (!matcher.Matches(actual))
            {
                return false;
            }
        }

        return true;
    }

    // Prometheus's Kahan–Neumaier compensated sum (promql kahanSumInc), so sums and means match it to the last bit.
    private static (double Sum, double C) KahanInc(double inc, double sum, double c)
    {
        var t = sum + inc;
        c += Math.Abs(sum) >= Math.Abs(inc) ? (sum - t) + inc : (inc - t) + sum;
        return (t, c);
    }

    private static double Sum(List<(long T, double V)> window)
    {
        double sum = 0, c = 0;
        foreach (var (_, v) in window)
        {
            (sum, c) = KahanInc(v, sum, c);
        }

        return double.IsInfinity(sum) ? sum : sum + c;
    }

    private static double Avg(List<(long T, double V)> window)
    {
        double mean = 0, count = 0, c = 0;
        foreach (var (_, v) in window)
        {
            count++;
            (mean, c) = KahanInc((v / count) - (mean / count), mean, c);
        }

        return double.IsInfinity(mean) ? mean : mean + c;
    }

    private static double? Rate(List<(long T, double V)> window, long rangeStart, long rangeEnd, TimeSpan range)
    {
        if (window.Count < 2)
        {
            return null;
        }

        var first = window[0];
        var last = window[^1];
        var result = last.V - first.V;
        double lastValue = 0;
        foreach (var (_, v) in window)
        {
            if (v < lastValue)
            {
                result += lastValue;
            }

            lastValue = v;
        }

        var durationToStart = (first.T - rangeStart) / 1000.0;
        var durationToEnd = (rangeEnd - last.T) / 1000.0;
        var sampledInterval = (last.T - first.T) / 1000.0;
        var averageBetween = sampledInterval / (window.Count - 1);
        if (result > 0 && first.V >= 0)
        {
            var durationToZero = sampledInterval * (first.V / result);
            if (durationToZero < durationToStart)
            {
                durationToStart = durationToZero;
            }
        }

        var threshold = averageBetween * 1.1;
        var extrapolateTo = sampledInterval;
        extrapolateTo += durationToStart < threshold ? durationToStart : averageBetween / 2;
        extrapolateTo += durationToEnd < threshold ? durationToEnd : averageBetween / 2;
        // One factor, divided by the range before it scales the increase: Prometheus's order of operations, to the last bit.
        var factor = extrapolateTo / sampledInterval;
        factor /= range.TotalSeconds;
        return result * factor;
    }
}
