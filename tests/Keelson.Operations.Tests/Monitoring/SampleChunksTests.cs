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

    [Fact]
    public void Sorting_the_tail_across_a_chunk_edge_orders_it_by_time_and_leaves_the_head()
    {
        var start = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
        var chunks = new SampleChunks();
        const int head = SampleChunks.ChunkSize - 2;
        for (var i = 0; i < head; i++)
        {
            chunks.Add(MetricSample.Of("shop", "a", i, start.AddSeconds(-i)));
        }

        // Equal times keep their order: values 1 and 2 share a time.
        foreach (var (second, value) in new[] { (5, 0.0), (3, 1), (9, 4), (3, 2), (1, 3) })
        {
            chunks.Add(MetricSample.Of("shop", "b", value, start.AddSeconds(second)));
        }

        chunks.SortTail(head);

        Assert.Equal([3.0, 1, 2, 0, 4], Enumerable.Range(head, 5).Select(i => chunks[i].Value));
        Assert.Equal(Enumerable.Range(0, head).Select(i => (double)i), Enumerable.Range(0, head).Select(i => chunks[i].Value));
    }
}
