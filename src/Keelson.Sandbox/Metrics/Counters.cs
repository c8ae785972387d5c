namespace Keelson.Sandbox.Metrics;

/// <summary>
/// Cumulative counters (CPU seconds, requests) integrated from the usage model's rates: each read adds the current
/// rate over the virtual time since the series' last read, so a counter only grows, as Prometheus requires. A new
/// series starts as if its rate had held since <c>start</c> (the pod's start).
/// </summary>
public sealed class Counters
{
    private readonly Dictionary<string, (DateTime At, double Total)> series = new(StringComparer.Ordinal);

    /// <summary>The counter <paramref name="key"/> at <paramref name="now"/>, having grown at <paramref name="perSecond"/> since its last read.</summary>
    public double Read(string key, double perSecond, DateTime start, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(key);
        var (at, total) = series.TryGetValue(key, out var last) ? last : (start < now ? start : now, 0);
        if (now > at)
        {
            total += Math.Max(0, perSecond) * (now - at).TotalSeconds;
            at = now;
        }

        series[key] = (at, total);
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
