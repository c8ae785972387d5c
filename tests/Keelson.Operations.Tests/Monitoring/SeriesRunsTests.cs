using Keelson.Operations.Monitoring;

namespace Keelson.Operations.Tests.Monitoring;

public sealed class SeriesRunsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    private static MetricSample S(string name, int second) => MetricSample.Of("shop", name, second, T0.AddSeconds(second));

    [Fact]
    public void Series_kept_together_come_back_as_views_in_their_order()
    {
        MetricSample[] samples = [S("a", 1), S("a", 2), S("b", 3), S("c", 4), S("c", 5), S("c", 6)];

        var runs = SeriesRuns.Of(samples);

        Assert.Equal(["a", "b", "c"], runs.Select(r => r[0].MetricName));
        Assert.Equal([2, 1, 3], runs.Select(r => r.Count));
        Assert.Equal([4.0, 5, 6], runs[2].Select(s => s.Value));
        Assert.Throws<ArgumentOutOfRangeException>(() => runs[1][1]);
    }

    [Fact]
    public void A_series_that_comes_back_after_another_is_grouped_whole()
    {
        MetricSample[] samples = [S("b", 1), S("a", 2), S("b", 3)];

        var runs = SeriesRuns.Of(samples);

        Assert.Equal(["b", "a"], runs.Select(r => r[0].MetricName));
        Assert.Equal([1.0, 3], runs[0].Select(s => s.Value));
    }

    [Fact]
    public void Nothing_gives_no_series()
    {
        Assert.Empty(SeriesRuns.Of([]));
    }
}
