using System.Text.Json.Nodes;
using Keelson.Console.Api;

namespace Keelson.Server.Tests.Console;

/// <summary>Which series the SLA panel judges a tenant by: pushed figures first, the sandbox's own after.</summary>
public sealed class SlaStatusTests
{
    private static readonly JsonObject Target = new() { ["availability"] = "99.9%", ["response_time"] = "200ms" };

    private static SummarisedSeries Series(string name, double avg, double p95) => new(name, new SeriesSummaryView(10, avg, avg, avg, p95, avg));

    [Fact]
    public void The_sandbox_s_error_ratio_and_latency_seconds_are_used_when_nothing_was_pushed()
    {
        var status = SlaStatus.From(Target, [Series("error_ratio", 0.0004, 0.001), Series("latency_seconds", 0.1, 0.25)]);

        Assert.Equal(99.96, status.Availability!.Value, 9);
        Assert.Equal(250, status.LatencyP95Ms!.Value, 9);
        // 0.04 of the 0.1 points allowed are spent; 250 ms misses 200 ms.
        Assert.Equal(60, status.BudgetLeftPercent!.Value, 9);
        Assert.Equal((true, false), (status.AvailabilityMet, status.LatencyMet));
        Assert.Equal(("error_ratio", "latency_seconds"), (status.AvailabilityFrom, status.LatencyFrom));
    }

    [Fact]
    public void Pushed_availability_and_response_time_win_over_the_sandbox_s_series()
    {
        var status = SlaStatus.From(Target, [Series("error_ratio", 0.5, 0.5), Series("availability", 99.5, 99.9), Series("latency_seconds", 9, 9), Series("response_time", 100, 180)]);

        Assert.Equal((99.5, 180.0, "availability", "response_time"), (status.Availability!.Value, status.LatencyP95Ms!.Value, status.AvailabilityFrom, status.LatencyFrom));
        // Spent five times the budget: none left, never below zero.
        Assert.Equal(0, status.BudgetLeftPercent);
    }

    [Fact]
    public void A_pushed_error_rate_in_percent_comes_before_the_sandbox_s_ratio_and_an_empty_series_counts_as_none()
    {
        var empty = new SummarisedSeries("availability", new SeriesSummaryView(0, 0, 0, 0, 0, 0));
        var status = SlaStatus.From(Target, [empty, Series("error_ratio", 0.9, 0.9), Series("error_rate", 0.05, 0.1)]);

        Assert.Equal((99.95, "error_rate"), (status.Availability!.Value, status.AvailabilityFrom));
        Assert.Null(status.LatencyP95Ms);
        Assert.Null(status.LatencyMet);
    }
}
