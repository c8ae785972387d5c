using System.Collections;

namespace Keelson.Operations.Monitoring;

/// <summary>Splits a source's answer into its series without copying it, since sources answer series by series.</summary>
public static class SeriesRuns
{
    /// <summary>
    /// The series of <paramref name="samples"/>, each a view of its consecutive samples; when a name comes back after
    /// another (a source that did not keep series together), grouped and copied instead, first appearance first.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<MetricSample>> Of(IReadOnlyList<MetricSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var runs = new List<IReadOnlyList<MetricSample>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var start = 0;
        for (var i = 1; i <= samples.Count; i++)
        {
            if (i < samples.Count && string.Equals(samples[i].MetricName, samples[start].MetricName, StringComparison.Ordinal))
            {
                continue;
            }

            if (!seen.Add(samples[start].MetricName))
            {
                return [.. samples.GroupBy(s => s.MetricName, StringComparer.Ordinal).Select(g => (IReadOnlyList<MetricSample>)[.. g])];
            }

            runs.Add(new Slice(samples, start, i - start));
            start = i;
        }

        return runs;
    }

    private sealed class Slice(IReadOnlyList<MetricSample> all, int offset, int count) : IReadOnlyList<MetricSample>
    {
        public int Count => count;

        public MetricSample this[int index] => (uint)index < (uint)count ? all[offset + index] : throw new ArgumentOutOfRangeException(nameof(index));

        public IEnumerator<MetricSample> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                yield return all[offset + i];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
