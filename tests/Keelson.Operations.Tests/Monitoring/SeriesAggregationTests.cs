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
}
