using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Keelson.Operations.Storage;

namespace Keelson.Operations.Monitoring;

/// <summary>Samples in the <c>monitoring_data</c> table of the operations database (SQLite, or PostgreSQL with monthly partitions).</summary>
public sealed class SqlMetricStore(Database database) : IMetricStore
{
    private readonly ConcurrentDictionary<string, bool> partitions = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task WriteAsync(IReadOnlyList<MetricSample> samples, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
        {
            return;
        }

        if (database.Provider == DatabaseProvider.Postgres)
        {
            foreach (var month in samples.Select(s => MonthOf(s.Timestamp)).Distinct())
            {
                await EnsurePartitionAsync(month, cancellationToken).ConfigureAwait(false);
            }
        }

        await database.InTransactionAsync(async (connection, transaction) =>
        {
            if (connection is Npgsql.NpgsqlConnection postgres)
            {
                await CopyAsync(postgres, samples, cancellationToken).ConfigureAwait(false);
                await MetricChunks.AppendAsync(connection, transaction, samples, cancellationToken).ConfigureAwait(false);
                return 0;
            }

            // SQLite's fastest bulk form: one prepared single-row insert, executed per row inside the transaction.
            await using var insert = connection.Command(transaction,
                "INSERT INTO monitoring_data (tenant_id, metric_type, metric_name, metric_value, timestamp) VALUES (@t, @y, @n, @v, @s)",
                ("@t", ""), ("@y", ""), ("@n", ""), ("@v", 0.0), ("@s", ""));
            await insert.PrepareAsync(cancellationToken).ConfigureAwait(false);
            foreach (var sample in samples)
            {
                insert.Parameters[0].Value = sample.TenantId;
                insert.Parameters[1].Value = sample.MetricType;
                insert.Parameters[2].Value = sample.MetricName;
                insert.Parameters[3].Value = sample.Value;
                insert.Parameters[4].Value = database.Dialect.Time(sample.Timestamp);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await MetricChunks.AppendAsync(connection, transaction, samples, cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The roll-up resolutions, finest first: 1 minute and 1 hour.</summary>
    public static IReadOnlyList<TimeSpan> Resolutions { get; } = [TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)];

    /// <summary>
    /// The selected samples, ordered by name then time. Where raw samples no longer reach (retention deleted them),
    /// roll-ups answer: 1-minute buckets as far back as they go, then 1-hour buckets, each one point at the bucket's
    /// start with the mean of the samples it holds. Retention cuts on bucket boundaries, so the three do not overlap.
    /// </summary>
    public async Task<IReadOnlyList<MetricSample>> ReadAsync(MetricSelector selector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // The oldest raw sample and roll-up bucket of each resolution, in one round trip: roll-ups answer only for
        // buckets that end by the tenant's oldest raw sample, and a coarser resolution only for buckets that end by
        // the finer one's first, so no stretch of time is counted twice; a table with nothing in range is not read.
        var (oldestRaw, firstBuckets) = await OldestAsync(connection, selector.TenantId, cancellationToken).ConfigureAwait(false);
        var samples = new SampleChunks();
        if (oldestRaw is { } rawFrom && rawFrom <= selector.End)
        {
            // Series by series, each a few rows of its 15-minute chunks (a day is 96), unpacked in time order; samples of a
            // chunk older than the oldest raw sample were folded into roll-ups by retention and are read from those.
            var chosen = (await SeriesOfAsync(connection, selector.TenantId, cancellationToken).ConfigureAwait(false))
                .Where(s => selector.Metrics.Count == 0 || selector.Metrics.Contains(s.Name) || selector.Metrics.Contains(s.Type))
                .OrderBy(s => s.Name, StringComparer.Ordinal);
            var from = rawFrom > selector.Start ? rawFrom : selector.Start;
            await using var command = connection.Command(null,
                "SELECT data FROM monitoring_chunks WHERE tenant_id = @tenant AND metric_name = @name AND chunk_start >= @from AND chunk_start <= @to ORDER BY chunk_start",
                ("@tenant", selector.TenantId), ("@name", ""), ("@from", MetricChunks.StartOf(from)), ("@to", selector.End.ToUnixTimeSeconds()));
            foreach (var (name, type) in chosen)
            {
                command.Parameters[1].Value = name;
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    MetricChunks.Unpack(reader.GetFieldValue<byte[]>(0), selector.TenantId, type, name, from, selector.End, samples);
                }
            }
        }

        var upTo = oldestRaw;
        var older = new List<MetricSample>();
        for (var i = 0; i < Resolutions.Count; i++)
        {
            var resolution = Resolutions[i];
            var end = upTo is { } bound ? bound - resolution : selector.End;
            if (selector.Start > end)
            {
                break;
            }

            if (end > selector.End)
            {
                end = selector.End;
            }

            if (firstBuckets[i] is not { } first)
            {
                continue;
            }

            if (first <= end)
            {
                var (rollupFilter, rollupParameters) = Filter(selector with { End = end }, "bucket_start");
                await using var command = connection.Command(null,
                    $"SELECT tenant_id, metric_type, metric_name, value_sum / sample_count, bucket_start FROM monitoring_rollups WHERE resolution = @resolution AND {rollupFilter}",
                    [.. rollupParameters, ("@resolution", (int)resolution.TotalSeconds)]);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    older.Add(new MetricSample(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetDouble(3), reader.Time("bucket_start")));
                }
            }

            if (upTo is null || first < upTo)
            {
                upTo = first;
            }
        }

        return older.Count == 0 ? samples : [.. older.Concat(samples).OrderBy(s => s.MetricName, StringComparer.Ordinal).ThenBy(s => s.Timestamp)];
    }

    /// <summary>
    /// Folds every sample older than <paramref name="cutoff"/> into the 1-minute and 1-hour roll-ups (count, sum, min,
    /// max; added to a bucket that already holds earlier samples), then deletes those samples, in one transaction;
    /// returns how many samples were deleted.
    /// </summary>
    public Task<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var postgres = database.Provider == DatabaseProvider.Postgres;
            foreach (var resolution in Resolutions)
            {
                var bucket = (postgres, resolution.TotalSeconds) switch
                {
                    (true, 60) => "date_trunc('minute', timestamp AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'",
                    (true, _) => "date_trunc('hour', timestamp AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'",
                    (false, 60) => "substr(timestamp, 1, 16) || ':00.0000000Z'",
                    (false, _) => "substr(timestamp, 1, 13) || ':00:00.0000000Z'",
                };
                var (least, greatest) = postgres ? ("LEAST", "GREATEST") : ("min", "max");
                await using var rollup = connection.Command(transaction,
                    "INSERT INTO monitoring_rollups (tenant_id, metric_type, metric_name, resolution, bucket_start, sample_count, value_sum, value_min, value_max) " +
                    $"SELECT tenant_id, MIN(metric_type), metric_name, @resolution, {bucket}, COUNT(*), SUM(metric_value), MIN(metric_value), MAX(metric_value) " +
                    "FROM monitoring_data WHERE timestamp < @cutoff GROUP BY tenant_id, metric_name, 5 " +
                    "ON CONFLICT (tenant_id, metric_name, resolution, bucket_start) DO UPDATE SET " +
                    "sample_count = monitoring_rollups.sample_count + excluded.sample_count, value_sum = monitoring_rollups.value_sum + excluded.value_sum, " +
                    $"value_min = {least}(monitoring_rollups.value_min, excluded.value_min), value_max = {greatest}(monitoring_rollups.value_max, excluded.value_max)",
                    ("@resolution", (int)resolution.TotalSeconds), ("@cutoff", database.Dialect.Time(cutoff)));
                await rollup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // A chunk goes once its whole span is past the cutoff; the part of one straddling it is not read (see ReadAsync).
            await using (var chunks = connection.Command(transaction, "DELETE FROM monitoring_chunks WHERE chunk_start <= @last",
                ("@last", cutoff.ToUnixTimeSeconds() - (long)MetricChunks.Width.TotalSeconds)))
            {
                await chunks.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var delete = connection.Command(transaction, "DELETE FROM monitoring_data WHERE timestamp < @cutoff", ("@cutoff", database.Dialect.Time(cutoff)));
            return (long)await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <inheritdoc />
    public async Task<long> DeleteRollupsOlderThanAsync(TimeSpan resolution, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = connection.Command(null, "DELETE FROM monitoring_rollups WHERE resolution = @resolution AND bucket_start < @cutoff",
            ("@resolution", (int)resolution.TotalSeconds), ("@cutoff", database.Dialect.Time(cutoff)));
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private (string Sql, List<(string, object?)> Parameters) Filter(MetricSelector selector, string column)
    {
        var sql = new StringBuilder($"tenant_id = @tenant AND {column} >= @start AND {column} <= @end");
        var parameters = new List<(string, object?)> { ("@tenant", selector.TenantId), ("@start", database.Dialect.Time(selector.Start)), ("@end", database.Dialect.Time(selector.End)) };
        if (selector.Metrics.Count > 0)
        {
            var names = string.Join(", ", selector.Metrics.Select((m, i) => $"@m{i}"));
            sql.Append(CultureInfo.InvariantCulture, $" AND (metric_type IN ({names}) OR metric_name IN ({names}))");
            parameters.AddRange(selector.Metrics.Select((m, i) => ($"@m{i}", (object?)m)));
        }

        return (sql.ToString(), parameters);
    }

    private static readonly string OldestSql = "SELECT (SELECT MIN(timestamp) FROM monitoring_data WHERE tenant_id = @tenant)" +
        string.Concat(Resolutions.Select(r => $", (SELECT MIN(bucket_start) FROM monitoring_rollups WHERE tenant_id = @tenant AND resolution = {(int)r.TotalSeconds})"));

    private static async Task<(DateTimeOffset? Raw, DateTimeOffset?[] Rollups)> OldestAsync(DbConnection connection, string tenantId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(null, OldestSql, ("@tenant", tenantId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        // MIN over no rows is NULL; otherwise the stored time, read as every other time column is.
        var times = new DateTimeOffset?[Resolutions.Count + 1];
        for (var i = 0; i < times.Length; i++)
        {
            times[i] = reader.IsDBNull(i) ? null : reader.Time(i);
        }

        return (times[0], times[1..]);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> SeriesAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return [.. (await SeriesOfAsync(connection, tenantId, cancellationToken).ConfigureAwait(false)).Select(s => s.Name)];
    }

    // Each next name is one seek of the name index past the last (a skip scan written out), and each type one more:
    // a tenant with fifteen days of samples has a handful of series, not a handful of rows.
    private const string SeriesSql =
        "WITH RECURSIVE series(name) AS (SELECT MIN(metric_name) FROM monitoring_data WHERE tenant_id = @tenant UNION ALL " +
        "SELECT (SELECT MIN(metric_name) FROM monitoring_data WHERE tenant_id = @tenant AND metric_name > series.name) FROM series WHERE series.name IS NOT NULL) " +
        "SELECT name, (SELECT metric_type FROM monitoring_data WHERE tenant_id = @tenant AND metric_name = series.name LIMIT 1) FROM series WHERE name IS NOT NULL";

    private static async Task<List<(string Name, string Type)>> SeriesOfAsync(DbConnection connection, string tenantId, CancellationToken cancellationToken)
    {
        await using var select = connection.Command(null, SeriesSql, ("@tenant", tenantId));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var series = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            series.Add((reader.GetString(0), reader.GetString(1)));
        }

        return series;
    }

    // PostgreSQL's fastest bulk form: a binary COPY, inside the caller's transaction.
    private static async Task CopyAsync(Npgsql.NpgsqlConnection connection, IReadOnlyList<MetricSample> samples, CancellationToken cancellationToken)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY monitoring_data (tenant_id, metric_type, metric_name, metric_value, timestamp) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        foreach (var sample in samples)
        {
            await copy.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(sample.TenantId, NpgsqlTypes.NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(sample.MetricType, NpgsqlTypes.NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(sample.MetricName, NpgsqlTypes.NpgsqlDbType.Varchar, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(sample.Value, NpgsqlTypes.NpgsqlDbType.Double, cancellationToken).ConfigureAwait(false);
            await copy.WriteAsync(sample.Timestamp.UtcDateTime, NpgsqlTypes.NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
        }

        await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DateTime MonthOf(DateTimeOffset time) => new(time.UtcDateTime.Year, time.UtcDateTime.Month, 1, 0, 0, 0, DateTimeKind.Utc);

    // The advisory lock serializes replicas creating the same month; IF NOT EXISTS makes the loser a no-op.
    private async Task EnsurePartitionAsync(DateTime month, CancellationToken cancellationToken)
    {
        var name = $"monitoring_data_{month:yyyy_MM}";
        if (partitions.ContainsKey(name))
        {
            return;
        }

        var from = month.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = month.AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            await using (var lockCommand = connection.Command(transaction, "SELECT pg_advisory_xact_lock(30229308793646959)"))
            {
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var create = connection.Command(
                transaction,
                $"CREATE TABLE IF NOT EXISTS {name} PARTITION OF monitoring_data FOR VALUES FROM ('{from} 00:00:00+00') TO ('{to} 00:00:00+00')");
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
        partitions[name] = true;
    }
}
