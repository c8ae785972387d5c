using System.Collections;

namespace Keelson.Operations.Monitoring;

/// <summary>
/// A long read of samples kept as chunks read as one list, in order. A day of five series is 28,800 samples: as one
/// list its array lands on the large-object heap, and a dashboard polling it drove a full collection every few
/// requests; chunks of <see cref="ChunkSize"/> never do.
/// </summary>
public sealed class SampleChunks : IReadOnlyList<MetricSample>
{
    /// <summary>Samples per chunk: 8,192 references stay under the large-object threshold of 85,000 bytes.</summary>
    public const int ChunkSize = 8192;

    private readonly List<List<MetricSample>> chunks = [];

    /// <inheritdoc />
    public int Count { get; private set; }

    /// <inheritdoc />
    public MetricSample this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return chunks[index / ChunkSize][index % ChunkSize];
        }
    }

    /// <summary>Appends one sample.</summary>
    public void Add(MetricSample sample)
    {
        if (Count % ChunkSize == 0)
        {
            chunks.Add(new List<MetricSample>(ChunkSize));
        }

        chunks[^1].Add(sample);
        Count++;
    }

    /// <summary>Sorts the samples from index <paramref name="from"/> on by time, equal times keeping their order.</summary>
    public void SortTail(int from)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        var sorted = Enumerable.Range(from, Count - from).Select(i => this[i]).OrderBy(s => s.Timestamp).ToList();
        for (var i = 0; i < sorted.Count; i++)
        {
            var at = from + i;
            chunks[at / ChunkSize][at % ChunkSize] = sorted[i];
        }
    }

    /// <inheritdoc />
    public IEnumerator<MetricSample> GetEnumerator()
    {
        foreach (var chunk in chunks)
        {
            foreach (var sample in chunk)
            {
                yield return sample;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
