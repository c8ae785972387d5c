using Keelson.Validation.Checks;

namespace Keelson.Validation.Tests.Checks;

public sealed class KubeQuantityTests
{
    [Theory]
    [InlineData("250m", 250)]
    [InlineData("1.5", 1500)]
    [InlineData("1e10", 10_000_000_000_000)]
    [InlineData("1e30", long.MaxValue)]
    [InlineData("100n", 1)]
    [InlineData("lots", 0)]
    [InlineData("-1", 0)]
    public void Milli_reads_any_quantity_and_saturates(string text, long milli) => Assert.Equal(milli, KubeQuantity.Milli(text));

    [Theory]
    [InlineData("512Mi", 512L << 20)]
    [InlineData("1G", 1_000_000_000)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("8Ei", long.MaxValue)]
    [InlineData("16Ei", long.MaxValue)]
    [InlineData("1.5Ki", 1536)]
    public void Units_read_any_quantity_and_saturate(string text, long bytes) => Assert.Equal(bytes, KubeQuantity.Units(text));
}
