using Keelson.Spec.Units;

namespace Keelson.Spec.Tests.Units;

public sealed class QuantityTests
{
    [Theory]
    [InlineData("500m", 500)]
    [InlineData("2", 2000)]
    [InlineData("1.5", 1500)]
    [InlineData("0.1", 100)]
    public void Cpu_quantities_parse_to_millicores(string text, long expected)
    {
        Assert.True(MilliCpu.TryParse(text, out var cpu));
        Assert.Equal(expected, cpu.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("2 cores")]
    [InlineData("-1")]
    [InlineData("1.5m")]
    public void Bad_cpu_quantities_are_rejected(string text) => Assert.False(MilliCpu.TryParse(text, out _));

    [Theory]
    [InlineData("128Mi", 128L << 20)]
    [InlineData("1Gi", 1L << 30)]
    [InlineData("1G", 1_000_000_000L)]
    [InlineData("1.5Gi", 3L << 29)]
    [InlineData("1048576", 1L << 20)]
    public void Memory_quantities_parse_to_bytes(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out var size));
        Assert.Equal(expected, size.Bytes);
    }

    [Theory]
    [InlineData("512MB")]
    [InlineData("Gi")]
    [InlineData("1 Gi")]
    public void Bad_memory_quantities_are_rejected(string text) => Assert.False(ByteSize.TryParse(text, out _));

    [Theory]
    [InlineData(1000, "1")]
    [InlineData(250, "250m")]
    [InlineData(7900, "7900m")]
    public void Cpu_prints_in_kubernetes_form(long milli, string expected) => Assert.Equal(expected, new MilliCpu(milli).ToString());

    [Theory]
    [InlineData(1L << 30, "1Gi")]
    [InlineData(3L << 29, "1536Mi")]
    [InlineData(1000L, "1000")]
    public void Memory_prints_in_the_largest_exact_unit(long bytes, string expected) => Assert.Equal(expected, new ByteSize(bytes).ToString());

    [Fact]
    public void Memory_display_rounds_for_people() => Assert.Equal("28.6Gi", ByteSize.FromGiB(28.62).Display());
}
