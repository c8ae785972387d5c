using System.Buffers.Binary;
using System.Data.Common;
using Keelson.Operations.Storage;

namespace Keelson.Operations.Monitoring;

/// <summary>
/// The <c>monitoring_chunks</c> table: every sample of a series also packed into one row per 15 minutes, 16 bytes per sample
/// (UTC ticks, then the value, big-endian as PostgreSQL's
/// <c>int8send</c> and <c>float8send</c> write them), so a long read is a few rows of bytes rather than a row per sample.
/// </summary>
internal static class MetricChunks
{
    /// <summary>Bytes per packed sample.</summary>
    public const int SampleSize = 16;

    /// <summary>The width of a chunk.</summary>
    public static readonly TimeSpan Width = TimeSpan.FromMinutes(15);

    /// <summary>The Unix second the chunk holding <paramref name="time"/> starts at.</summary>
    public static long StartOf(DateTimeOffset time)
    {
        var seconds = time.ToUnixTimeSeconds();
        return seconds - Mod(seconds, (long)Width.TotalSeconds);
    }

    /// <summary>Appends the samples of each (tenant, series, quarter hour) to its chunk, creating the chunk when it is new.</summary>
    public static async Task AppendAsync(DbConnection connection, DbTransaction transaction, IEnumerable<MetricSample> samples, CancellationToken cancellationToken)
    {
        var chunks = samples.GroupBy(s => (s.TenantId, s.MetricName, Start: StartOf(s.Timestamp))).ToList();
        if (chunks.Count == 0)
        {
            return;
        }

        if (connection is Npgsql.NpgsqlConnection)
        {
            // One statement for the whole batch: a round trip per chunk would cost a batch of many tenants' series
            // more than its COPY. PostgreSQL keeps microseconds, so the chunk's times are cut to what the row holds.
            var packed = chunks.Select(c => Pack(c, tickUnit: 10)).ToArray();
            await using var upsert = connection.Command(transaction,
                "INSERT INTO monitoring_chunks (tenant_id, metric_name, chunk_start, metric_type, sample_count, data) " +
                "SELECT * FROM unnest(@t, @n, @c, @y, @k, @d) " +
                "ON CONFLICT (tenant_id, metric_name, chunk_start) DO UPDATE SET sample_count = monitoring_chunks.sample_count + excluded.sample_count, " +
                "data = monitoring_chunks.data || excluded.data",
                ("@t", chunks.Select(c => c.Key.TenantId).ToArray()), ("@n", chunks.Select(c => c.Key.MetricName).ToArray()),
                ("@c", chunks.Select(c => c.Key.Start).ToArray()), ("@y", chunks.Select(c => c.First().MetricType).ToArray()),
                ("@k", packed.Select(p => p.Length / SampleSize).ToArray()), ("@d", packed));
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // SQLite's || yields text; the cast keeps the bytes a blob (NULs included). Statements are in-process calls
        // here, so one prepared upsert per chunk is as cheap as any batching.
        await using var command = connection.Command(transaction,
            "INSERT INTO monitoring_chunks (tenant_id, metric_name, chunk_start, metric_type, sample_count, data) VALUES (@t, @n, @c, @y, @k, @d) " +
            "ON CONFLICT (tenant_id, metric_name, chunk_start) DO UPDATE SET sample_count = monitoring_chunks.sample_count + excluded.sample_count, " +
            "data = CAST(monitoring_chunks.data || excluded.data AS BLOB)",
            ("@t", ""), ("@n", ""), ("@c", 0L), ("@y", ""), ("@k", 0), ("@d", Array.Empty<byte>()));
        foreach (var chunk in chunks)
        {
            var packed = Pack(chunk, tickUnit: 1);
            command.Parameters[0].Value = chunk.Key.TenantId;
            command.Parameters[1].Value = chunk.Key.MetricName;
            command.Parameters[2].Value = chunk.Key.Start;
            command.Parameters[3].Value = chunk.First().MetricType;
            command.Parameters[4].Value = packed.Length / SampleSize;
            command.Parameters[5].Value = packed;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Packs the SQLite samples stored before chunks existed, run once by the migrator inside the migration's transaction
    /// (so no write of the new code meets a half-packed table), streaming in time order per series (appending to a chunk in several
    /// steps packs it the same as in one). PostgreSQL
    /// packs them in SQL in its migration script.
    /// </summary>
    public static async Task BackfillAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        var pending = new List<MetricSample>();
        await using var select = connection.Command(transaction,
            "SELECT tenant_id, metric_type, metric_name, metric_value, timestamp FROM monitoring_data ORDER BY tenant_id, metric_name, timestamp");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var sample = new MetricSample(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetDouble(3), reader.Time(4));
            if (pending.Count >= 8192)
            {
                await AppendAsync(connection, transaction, pending, cancellationToken).ConfigureAwait(false);
                pending.Clear();
            }

            pending.Add(sample);
        }

        await AppendAsync(connection, transaction, pending, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds the samples of one chunk that fall in [<paramref name="from"/>, <paramref name="to"/>] to <paramref name="into"/>,
    /// in time order (a chunk keeps arrival order, which late pushes can break).
    /// </summary>
    public static void Unpack(ReadOnlySpan<byte> data, string tenantId, string type, string name, DateTimeOffset from, DateTimeOffset to, SampleChunks into)
    {
        var (low, high) = (from.UtcTicks, to.UtcTicks);
        var ordered = true;
        var previous = long.MinValue;
        var firstIndex = into.Count;
        for (var offset = 0; offset + SampleSize <= data.Length; offset += SampleSize)
        {
            var ticks = BinaryPrimitives.ReadInt64BigEndian(data[offset..]);
            if (ticks < low || ticks > high)
            {
                continue;
            }

            ordered &= ticks >= previous;
            previous = ticks;
            into.Add(new MetricSample(tenantId, type, name, BinaryPrimitives.ReadDoubleBigEndian(data[(offset + 8)..]), new DateTimeOffset(ticks, TimeSpan.Zero)));
        }

        if (!ordered)
        {
            into.SortTail(firstIndex);
        }
    }

    private static byte[] Pack(IEnumerable<MetricSample> samples, long tickUnit)
    {
        var list = samples as IReadOnlyCollection<MetricSample> ?? [.. samples];
        var packed = new byte[list.Count * SampleSize];
        var offset = 0;
        foreach (var sample in list)
        {
            BinaryPrimitives.WriteInt64BigEndian(packed.AsSpan(offset), sample.Timestamp.UtcTicks - (sample.Timestamp.UtcTicks % tickUnit));
            BinaryPrimitives.WriteDoubleBigEndian(packed.AsSpan(offset + 8), sample.Value);
            offset += SampleSize;
        }

        return packed;
    }

    private static long Mod(long value, long divisor) => ((value % divisor) + divisor) % divisor;
}
