using Keelson.Planning.Sizing;

namespace Keelson.Planning.Tests.Sizing;

public sealed class ErlangCTests
{
    // Probability of waiting for 10 erlangs on 11–14 agents, as printed in Erlang C tables and the
    // call-centre staffing literature (the "100 calls per 30 minutes, 3-minute handle time" example).
    [Theory]
    [InlineData(11, 0.6821)]
    [InlineData(12, 0.4494)]
    [InlineData(13, 0.2853)]
    [InlineData(14, 0.1741)]
    public void Wait_probability_matches_the_published_table(int agents, double expected) =>
        Assert.Equal(expected, ErlangC.WaitProbability(agents, 10), precision: 4);

    [Fact]
    public void Eighty_percent_in_twenty_seconds_at_ten_erlangs_needs_fourteen_agents()
    {
        var handle = TimeSpan.FromSeconds(180);
        var target = TimeSpan.FromSeconds(20);

        // 13 agents answer 79.6 % within 20 s, 14 answer 88.8 %.
        Assert.Equal(0.7956, ErlangC.ServiceLevel(13, 10, handle, target), precision: 4);
        Assert.Equal(0.8884, ErlangC.ServiceLevel(14, 10, handle, target), precision: 4);
        Assert.Equal(14, ErlangC.ServersFor(ErlangC.OfferedLoad(200, handle), handle, target, 0.80));
    }

    [Fact]
    public void Westbay_worked_example_360_calls_per_half_hour_on_55_agents()
    {
        var handle = TimeSpan.FromMinutes(4);
        var erlangs = ErlangC.OfferedLoad(720, handle);

        Assert.Equal(48, erlangs, precision: 10);
        Assert.Equal(0.2387, ErlangC.WaitProbability(55, erlangs), precision: 4);
        Assert.Equal(8.2, ErlangC.AverageSpeedOfAnswer(55, erlangs, handle).TotalSeconds, precision: 1);
        Assert.Equal(0.8459, ErlangC.ServiceLevel(55, erlangs, handle, TimeSpan.FromSeconds(15)), precision: 4);
    }

    [Theory]
    [InlineData(3, 2.0)]
    [InlineData(20, 15.5)]
    [InlineData(60, 48.0)]
    [InlineData(120, 100.0)]
    public void Recurrence_agrees_with_the_textbook_factorial_form(int n, double a) =>
        Assert.Equal(TextbookWaitProbability(n, a), ErlangC.WaitProbability(n, a), precision: 10);

    [Fact]
    public void Stays_finite_and_sensible_for_thousands_of_servers()
    {
        // The factorial form overflows a double near 170!; the recurrence does not.
        var servers = ErlangC.ServersFor(2000, TimeSpan.FromSeconds(180), TimeSpan.FromSeconds(20), 0.8);
        var wait = ErlangC.WaitProbability(servers, 2000);

        Assert.InRange(servers, 2001, 2100);
        Assert.True(double.IsFinite(wait) && wait is > 0 and < 1);
        Assert.True(ErlangC.ServiceLevel(servers - 1, 2000, TimeSpan.FromSeconds(180), TimeSpan.FromSeconds(20)) < 0.8);
    }

    [Fact]
    public void Overloaded_servers_always_wait() => Assert.Equal(1.0, ErlangC.WaitProbability(10, 10));

    [Fact]
    public void No_load_needs_no_servers() => Assert.Equal(0, ErlangC.ServersFor(0, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(20), 0.8));

    [Fact]
    public void More_arrivals_never_need_fewer_servers()
    {
        var previous = 0;
        for (var arrivals = 10; arrivals <= 5000; arrivals += 37)
        {
            var servers = ErlangC.ServersFor(ErlangC.OfferedLoad(arrivals, TimeSpan.FromSeconds(240)), TimeSpan.FromSeconds(240), TimeSpan.FromSeconds(20), 0.8);
            Assert.True(servers >= previous, $"{arrivals}/h needs {servers}, fewer than {previous}");
            previous = servers;
        }
    }

    private static double TextbookWaitProbability(int n, double a)
    {
        double sum = 0, term = 1;
        for (var k = 0; k < n; k++)
        {
            sum += term;
            term *= a / (k + 1);
        }

        var top = term * n / (n - a);
        return top / (sum + top);
    }
}
