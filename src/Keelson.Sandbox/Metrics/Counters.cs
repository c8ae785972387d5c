namespace Keelson.Sandbox.Metrics;

/// <summary>
/// Cumulative counters (CPU seconds, requests) integrated from the usage model's rates: each read adds the rate
/// seen at the series' previous read over the virtual time since then (the rate held until this sample, as a
/// sampler sees it), so a counter only grows, as Prometheus requires. A new series starts as if its current rate
/// had held since <c>start</c> (the pod's start).
/// </summary>
public sealed class Counters
{
    private readonly Dictionary<string, (DateTime At, double Total, double Rate)> series = new(StringComparer.Ordinal);

    /// <summary>The counter <paramref name="key"/> at <paramref name="now"/>; <paramref name="perSecond"/> is its rate from now on.</summary>
    public double Read(string key, double perSecond, DateTime start, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(key);
        var (at, total, rate) = series.TryGetValue(key, out var last) ? last : (start < now ? start : now, 0, perSecond);
        if (now > at)
        {
            total += Math.Max(0, rate) * (now - at).TotalSeconds;
            at = now;
        }

        series[key] = (at, total, perSecond);
        return total;
    }

    /// <summary>Forgets series not read at <paramref name="now"/> (deleted pods), so memory follows the live pods.</summary>
    public void Prune(DateTime now)
    {
        foreach (var key in series.Where(s => s.Value.At < now).Select(s => s.Key).ToList())
        {
            series.Remove(key);
        }
    }
}
