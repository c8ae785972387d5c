using Keelson.Operations.Monitoring;

namespace Keelson.Operations.Tests.Monitoring;

/// <summary>The chunked list long reads are returned in.</summary>
public sealed class SampleChunksTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(SampleChunks.ChunkSize)]
    [InlineData((2 * SampleChunks.ChunkSize) + 3)]
    public void Reads_back_every_sample_in_order_by_index_and_by_enumeration_across_chunk_edges(int count)
    {
        var start = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
        var expected = Enumerable.Range(0, count).Select(i => MetricSample.Of("shop", "cpu_usage", i, start.AddSeconds(i))).ToList();
        var chunks = new SampleChunks();
        expected.ForEach(chunks.Add);

        Assert.Equal(count, chunks.Count);
        Assert.Equal(expected, chunks);
        Assert.Equal(expected, Enumerable.Range(0, count).Select(i => chunks[i]));
        Assert.Throws<ArgumentOutOfRangeException>(() => chunks[count]);
        Assert.Throws<ArgumentOutOfRangeException>(() => chunks[-1]);
    }
}
