namespace Keelson.Operations.Monitoring;

/// <summary>How a window of samples is reduced to one value.</summary>
public enum Aggregation
{
    /// <summary>Mean.</summary>
    Avg,

    /// <summary>Smallest.</summary>
    Min,

    /// <summary>Largest.</summary>
    Max,

    /// <summary>95th percentile (nearest rank).</summary>
    P95,

    /// <summary>The latest value.</summary>
    Last,

    /// <summary>Per-second increase of a counter, counting a drop as a reset (as PromQL's rate does).</summary>
    Rate,
}

/// <summary>One point of a series: the start of its step (or the sample's time without a step) and its value.</summary>
public sealed record MetricPoint(DateTimeOffset Timestamp, double Value);

/// <summary>A whole window reduced: count, min, max, avg, p95, last, and rate (null for fewer than two samples).</summary>
public sealed record SeriesSummary(int Count, double Min, double Max, double Avg, double P95, double Last, double? Rate);

/// <summary>Reduces one series' samples (ordered by time) to points per step and a summary.</summary>
public static class SeriesAggregation
{
    /// <summary>The points of <paramref name="samples"/>: raw without a step, else one per non-empty step from <paramref name="start"/>.</summary>
    public static IReadOnlyList<MetricPoint> Points(IReadOnlyList<MetricSample> samples, DateTimeOffset start, TimeSpan? step, Aggregation aggregation)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (step is not { } width || width <= TimeSpan.Zero)
        {
            if (aggregation != Aggregation.Rate)
            {
                return [.. samples.Select(s => new MetricPoint(s.Timestamp, s.Value))];
            }

            return [.. samples.Zip(samples.Skip(1)).Select(p => new MetricPoint(p.Second.Timestamp, Rate([p.First, p.Second]) ?? 0))];
        }

        if (Ordered(samples))
        {
            // Time-ordered samples (what every store returns) fall into each step as one run: reduce run by run in
            // one pass rather than grouping, which made a day at one-minute steps 7,200 groups.
            var points = new List<MetricPoint>();
            var run = new List<MetricSample>();
            for (var i = 0; i < samples.Count; i++)
            {
                var bucket = (samples[i].Timestamp - start).Ticks / width.Ticks;
                run.Add(samples[i]);
                if (i + 1 == samples.Count || (samples[i + 1].Timestamp - start).Ticks / width.Ticks != bucket)
                {
                    points.Add(new MetricPoint(start + TimeSpan.FromTicks(bucket * width.Ticks), Reduce(run, aggregation, width)));
                    run.Clear();
                }
            }

            return points;
        }

        return [.. samples
            .GroupBy(s => (s.Timestamp - start).Ticks / width.Ticks)
            .Select(g => (Bucket: g.Key, Samples: g.ToList()))
            .Select(g => new MetricPoint(start + TimeSpan.FromTicks(g.Bucket * width.Ticks), Reduce(g.Samples, aggregation, width)))];
    }

    /// <summary>The summary of a non-empty series.</summary>
    public static SeriesSummary Summary(IReadOnlyList<MetricSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            throw new ArgumentException("A summary needs at least one sample.", nameof(samples));
        }

        var values = samples.Select(s => s.Value).ToList();
        return new SeriesSummary(values.Count, values.Min(), values.Max(), values.Average(), Percentile(values, 0.95), values[^1], Rate(samples));
    }

    private static double Reduce(List<MetricSample> samples, Aggregation aggregation, TimeSpan step) => aggregation switch
    {
        Aggregation.Min => samples.Min(s => s.Value),
        Aggregation.Max => samples.Max(s => s.Value),
        Aggregation.P95 => Percentile([.. samples.Select(s => s.Value)], 0.95),
        Aggregation.Last => samples[^1].Value,
        Aggregation.Rate => Increase(samples) / step.TotalSeconds,
        _ => samples.Average(s => s.Value),
    };

    private static double? Rate(IReadOnlyList<MetricSample> samples)
    {
        var seconds = (samples[^1].Timestamp - samples[0].Timestamp).TotalSeconds;
        return samples.Count < 2 || seconds <= 0 ? null : Increase(samples) / seconds;
    }

    private static bool Ordered(IReadOnlyList<MetricSample> samples)
    {
        for (var i = 1; i < samples.Count; i++)
        {
            if (samples[i].Timestamp < samples[i - 1].Timestamp)
            {
                return false;
            }
        }

        return true;
    }

    private static double Increase(IReadOnlyList<MetricSample> samples)
    {
        var total = 0.0;
        for (var i = 1; i < samples.Count; i++)
        {
            var delta = samples[i].Value - samples[i - 1].Value;
            total += delta >= 0 ? delta : samples[i].Value;
        }

        return total;
    }

    private static double Percentile(List<double> values, double quantile)
    {
        values.Sort();
        var rank = (int)Math.Ceiling(quantile * values.Count);
        return values[Math.Clamp(rank - 1, 0, values.Count - 1)];
    }
}
