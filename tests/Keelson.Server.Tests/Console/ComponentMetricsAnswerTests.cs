using Keelson.Console.Api;

namespace Keelson.Server.Tests.Console;

/// <summary>A streamed instant added to the per-component answer the Metrics page draws, and the reconnection back-off.</summary>
public sealed class ComponentMetricsAnswerTests
{
    private static readonly DateTimeOffset End = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_instant_adds_a_point_per_series_it_names_new_components_and_metrics_included_and_slides_the_window()
    {
        var answer = new ComponentMetricsAnswer(End.AddHours(-1), End, "sandbox",
        [
            new ComponentMetrics("api", [new MetricSeries("pods_running", "pods", "sandbox", [new(End.AddMinutes(-59), 2), new(End, 3)])]),
            new ComponentMetrics("db", [new MetricSeries("pods_running", "pods", "sandbox", [new(End, 1)])]),
        ]);

        var next = answer.Add(End.AddMinutes(2), new Dictionary<string, IReadOnlyDictionary<string, double>>
        {
            ["api"] = new Dictionary<string, double> { ["pods_running"] = 4, ["cpu_usage_cores"] = 0.5 },
            ["web"] = new Dictionary<string, double> { ["pods_running"] = 1 },
        });

        Assert.Equal((End.AddMinutes(-58), End.AddMinutes(2)), (next.Start, next.End));
        Assert.Equal(["api", "db", "web"], next.Components.Select(c => c.Component));
        var api = next.Components[0].Series.ToDictionary(s => s.MetricName);
        Assert.Equal([(End, 3.0), (End.AddMinutes(2), 4.0)], api["pods_running"].Points.Select(p => (p.Timestamp, p.Value)));
        Assert.Equal([0.5], api["cpu_usage_cores"].Points.Select(p => p.Value));
        Assert.Equal([1.0], next.Components[1].Series[0].Points.Select(p => p.Value));
        Assert.Equal([1.0], next.Components[2].Series[0].Points.Select(p => p.Value));

        // An instant the answer already covers (read just after it was sampled) is not drawn twice.
        Assert.Same(next, next.Add(End.AddMinutes(1), new Dictionary<string, IReadOnlyDictionary<string, double>>()));
    }

    [Fact]
    public void Reconnection_waits_double_from_one_second_up_to_thirty_and_the_page_says_so()
    {
        Assert.Equal([1, 2, 4, 8, 16, 30, 30], Enumerable.Range(1, 7).Select(n => LiveConnection.Backoff(n).TotalSeconds));
        var state = new LiveState("reconnecting", 3, LiveConnection.Backoff(3), "connection refused");
        Assert.Equal("Reconnecting in 4 s (attempt 3): connection refused. What is shown may be out of date.", state.Describe("samples"));
        Assert.Equal("Not live: This key may not access tenant 'b'.", new LiveState("closed", 0, TimeSpan.Zero, "This key may not access tenant 'b'.").Describe("samples"));
    }
}
