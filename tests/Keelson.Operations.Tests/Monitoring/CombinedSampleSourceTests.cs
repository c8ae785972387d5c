using Keelson.Operations.Monitoring;

namespace Keelson.Operations.Tests.Monitoring;

public sealed class CombinedSampleSourceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Each_series_comes_from_the_first_source_that_holds_it_and_names_it()
    {
        var pushed = new ListSource("store", [At("cpu_usage", 65, 0), At("cpu_usage", 70, 60)]);
        var sandbox = new ListSource("sandbox", [At("cpu_usage", 1, 0), At("cpu_usage_cores", 0.4, 30), At("memory_usage_bytes", 1e9, 30)]);
        var combined = new CombinedSampleSource([pushed, sandbox]);
        var selector = new MetricSelector("acme", T0, T0.AddHours(1), []);

        Assert.Equal("store+sandbox", combined.Name);
        var each = await combined.ReadEachAsync(selector, CancellationToken.None);
        Assert.Equal(["store", "sandbox"], each.Select(e => e.Source));
        Assert.Equal([65.0, 70.0], each[0].Samples.Select(s => s.Value));
        Assert.Equal(["cpu_usage_cores", "memory_usage_bytes"], each[1].Samples.Select(s => s.MetricName));

        var merged = await combined.ReadAsync(selector, CancellationToken.None);
        Assert.Equal(["cpu_usage", "cpu_usage", "cpu_usage_cores", "memory_usage_bytes"], merged.Select(s => s.MetricName));
        Assert.All(new[] { pushed, sandbox }, s => Assert.Equal(selector, s.Asked));
    }

    [Fact]
    public async Task A_source_with_nothing_is_left_out_and_none_is_refused()
    {
        var combined = new CombinedSampleSource([new ListSource("store", []), new ListSource("sandbox", [At("pods_running", 3, 0)])]);
        var each = await combined.ReadEachAsync(new MetricSelector("acme", T0, T0.AddHours(1), []), CancellationToken.None);
        Assert.Equal("sandbox", Assert.Single(each).Source);
        Assert.Throws<ArgumentException>(() => new CombinedSampleSource([]));
    }

    private static MetricSample At(string name, double value, int seconds) => MetricSample.Of("acme", name, value, T0.AddSeconds(seconds));

    // A fake in the sense of the style guide: it stands for any source and records what it was asked.
    private sealed class ListSource(string name, IReadOnlyList<MetricSample> samples) : IMetricSampleSource
    {
        public MetricSelector? Asked { get; private set; }

        public string Name => name;

        public Task<IReadOnlyList<MetricSample>> ReadAsync(MetricSelector selector, CancellationToken cancellationToken)
        {
            Asked = selector;
            return Task.FromResult(samples);
        }
    }
}
