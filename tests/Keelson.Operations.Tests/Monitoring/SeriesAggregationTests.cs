using Keelson.Operations.Monitoring;

namespace Keelson.Operations.Tests.Monitoring;

/// <summary>Points per step and summaries of <see cref="SeriesAggregation"/>.</summary>
public sealed class SeriesAggregationTests
{
    private static readonly DateTimeOffset Start = new(2024, 1, 15, 10, 0, 0, TimeSpan.Zero);

    private static readonly MetricSample[] Cpu = [.. new[] { 10.0, 20, 30, 40, 50, 60 }.Select((v, i) => MetricSample.Of("shop", "cpu_usage", v, Start.AddSeconds(i * 30)))];

    [Theory]
    [InlineData(Aggregation.Avg, 20, 50)]
    [InlineData(Aggregation.Min, 10, 40)]
    [InlineData(Aggregation.Max, 30, 60)]
    [InlineData(Aggregation.Last, 30, 60)]
    [InlineData(Aggregation.P95, 30, 60)]
    public void Each_step_is_reduced_by_the_aggregation(Aggregation aggregation, double first, double second)
    {
        var points = SeriesAggregation.Points(Cpu, Start, TimeSpan.FromSeconds(90), aggregation);

        Assert.Equal([Start, Start.AddSeconds(90)], points.Select(p => p.Timestamp));
        Assert.Equal([first, second], points.Select(p => p.Value));
    }

    [Fact]
    public void Rate_counts_a_drop_as_a_counter_reset()
    {
        MetricSample[] requests = [.. new[] { 100.0, 160, 10, 70 }.Select((v, i) => MetricSample.Of("shop", "request_count", v, Start.AddSeconds(i * 10)))];

        var summary = SeriesAggregation.Summary(requests);
        var perStep = SeriesAggregation.Points(requests, Start, TimeSpan.FromSeconds(40), Aggregation.Rate);

        Assert.Equal((60 + 10 + 60) / 30.0, summary.Rate);
        Assert.Equal((60 + 10 + 60) / 40.0, perStep.Single().Value);
    }

    [Fact]
    public void Without_a_step_the_points_are_the_samples_and_the_summary_covers_them_all()
    {
        var points = SeriesAggregation.Points(Cpu, Start, null, Aggregation.Avg);
        var summary = SeriesAggregation.Summary(Cpu);

        Assert.Equal(Cpu.Select(s => s.Value), points.Select(p => p.Value));
        Assert.Equal((6, 10.0, 60.0, 35.0, 60.0, 60.0), (summary.Count, summary.Min, summary.Max, summary.Avg, summary.P95, summary.Last));
        Assert.Equal(50 / 150.0, summary.Rate);
    }

    [Fact]
    public void Time_ordered_and_unordered_series_give_the_same_steps_as_grouping_by_step_with_gaps_and_equal_times()
    {
        var random = new Random(13);
        foreach (var aggregation in Enum.GetValues<Aggregation>())
        {
            for (var round = 0; round < 40; round++)
            {
                // Irregular spacing: several samples at one instant, empty steps, samples before the start.
                var time = Start.AddSeconds(-random.Next(0, 120));
                var samples = new List<MetricSample>();
                for (var i = random.Next(1, 60); i > 0; i--)
                {
                    time = time.AddSeconds(random.Next(4) == 0 ? 0 : random.Next(1, 200));
                    samples.Add(MetricSample.Of("shop", "request_count", Math.Round(random.NextDouble() * 100, 2), time));
                }

                var step = TimeSpan.FromSeconds(random.Next(1, 300));
                var expected = samples.GroupBy(s => (s.Timestamp - Start).Ticks / step.Ticks)
                    .Select(g => (Time: Start + TimeSpan.FromTicks(g.Key * step.Ticks), Values: g.ToList()))
                    .Select(g => new MetricPoint(g.Time, Reference(g.Values, aggregation, step)))
                    .ToList();

                Assert.Equal(expected, SeriesAggregation.Points(samples, Start, step, aggregation));
                var shuffled = samples.OrderBy(_ => random.Next()).ToList();
                Assert.Equal(
                    shuffled.GroupBy(s => (s.Timestamp - Start).Ticks / step.Ticks).Select(g => Start + TimeSpan.FromTicks(g.Key * step.Ticks)),
                    SeriesAggregation.Points(shuffled, Start, step, aggregation).Select(p => p.Timestamp));
            }
        }
    }

    // What each step's value must be, written plainly from the definitions.
    private static double Reference(List<MetricSample> samples, Aggregation aggregation, TimeSpan step)
    {
        var values = samples.Select(s => s.Value).ToList();
        switch (aggregation)
        {
            case Aggregation.Min: return values.Min();
            case Aggregation.Max: return values.Max();
            case Aggregation.Last: return values[^1];
            case Aggregation.P95:
                var sorted = values.Order().ToList();
                return sorted[Math.Clamp((int)Math.Ceiling(0.95 * sorted.Count) - 1, 0, sorted.Count - 1)];
            case Aggregation.Rate:
                var increase = 0.0;
                for (var i = 1; i < values.Count; i++)
                {
                    increase += values[i] >= values[i - 1] ? values[i] - values[i - 1] : values[i];
                }

                return increase / step.TotalSeconds;
            default: return values.Average();
        }
    }
}
