using Keelson.Spec.Units;

namespace Keelson.Spec.Tests.Units;

public sealed class SaturatingTests
{
    [Theory]
    [InlineData(long.MaxValue, 1, long.MaxValue)]
    [InlineData(long.MaxValue, long.MaxValue, long.MaxValue)]
    [InlineData(long.MinValue, -1, long.MinValue)]
    [InlineData(40, 2, 42)]
    [InlineData(-40, 2, -38)]
    public void Add_stops_at_the_ends_of_long(long a, long b, long sum) => Assert.Equal(sum, Saturating.Add(a, b));

    [Theory]
    [InlineData(long.MaxValue / 2, 3, long.MaxValue)]
    [InlineData(-(long.MaxValue / 2), 3, long.MinValue)]
    [InlineData(1L << 40, 1 << 30, long.MaxValue)]
    [InlineData(6, 7, 42)]
    public void Multiply_stops_at_the_ends_of_long(long a, long b, long product) => Assert.Equal(product, Saturating.Multiply(a, b));

    [Fact]
    public void Quantity_totals_near_two_to_the_63_do_not_wrap_negative()
    {
        var huge = new ByteSize(long.MaxValue - 10);

        Assert.Equal(long.MaxValue, (huge + huge).Bytes);
        Assert.Equal(long.MaxValue, (huge * 3).Bytes);
        Assert.Equal(long.MaxValue, (new MilliCpu(long.MaxValue) + new MilliCpu(1)).Value);
    }
}
