using Keelson.Sandbox.Server.Protobuf;

namespace Keelson.Sandbox.Server.Tests.Protobuf;

public sealed class GoDurationTests
{
    [Theory]
    [InlineData(0L, "0s")]
    [InlineData(1_500_000_000L, "1.5s")]
    [InlineData(5_400_000_000_000L, "1h30m0s")]
    [InlineData(61_000_000_000L, "1m1s")]
    [InlineData(1_500_000L, "1.5ms")]
    [InlineData(2_000L, "2µs")]
    [InlineData(7L, "7ns")]
    [InlineData(-90_000_000_000L, "-1m30s")]
    public void Durations_print_as_Go_prints_them_and_read_back(long nanoseconds, string text)
    {
        Assert.Equal(text, GoDuration.Format(nanoseconds));
        Assert.True(GoDuration.TryParse(text, out var back));
        Assert.Equal(nanoseconds, back);
    }

    [Theory]
    [InlineData("1h")]
    [InlineData("90m")]
    [InlineData("5400s")]
    public void Other_spellings_of_the_same_duration_read_alike(string text)
    {
        Assert.True(GoDuration.TryParse(text, out var nanoseconds));
        Assert.Equal(text == "1h" ? 3_600_000_000_000L : 5_400_000_000_000L, nanoseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("1d")]
    [InlineData("h")]
    public void Text_that_is_not_a_Go_duration_is_refused(string text) => Assert.False(GoDuration.TryParse(text, out _));
}
