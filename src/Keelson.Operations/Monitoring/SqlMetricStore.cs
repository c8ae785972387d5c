using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Keelson.Operations.Storage;

namespace Keelson.Operations.Monitoring;

/// <summary>Samples in the <c>monitoring_data</c> table of the operations database (SQLite, or PostgreSQL with monthly partitions).</summary>
public sealed class SqlMetricStore(Database database) : IMetricStore
{
    // 5 parameters a row: 200 rows stay far below SQLite's and PostgreSQL's parameter limits.
    private const int RowsPerStatement = 200;
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
            for (var offset = 0; offset < samples.Count; offset += RowsPerStatement)
            {
                var rows = samples.Skip(offset).Take(RowsPerStatement).ToList();
                await using var insert = InsertCommand(connection, transaction, rows);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<MetricSample>> ReadAsync(MetricSelector selector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(selector);
        var dialect = database.Dialect;
        var sql = new StringBuilder(
            "SELECT tenant_id, metric_type, metric_name, metric_value, timestamp FROM monitoring_data WHERE tenant_id = @tenant AND timestamp >= @start AND timestamp <= @end");
        var parameters = new List<(string, object?)> { ("@tenant", selector.TenantId), ("@start", dialect.Time(selector.Start)), ("@end", dialect.Time(selector.End)) };
        if (selector.Metrics.Count > 0)
        {
            var names = string.Join(", ", selector.Metrics.Select((m, i) => $"@m{i}"));
            sql.Append(CultureInfo.InvariantCulture, $" AND (metric_type IN ({names}) OR metric_name IN ({names}))");
            parameters.AddRange(selector.Metrics.Select((m, i) => ($"@m{i}", (object?)m)));
        }

        sql.Append(" ORDER BY metric_name, timestamp");
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null, sql.ToString(), [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var samples = new List<MetricSample>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            samples.Add(new MetricSample(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetDouble(3), reader.Time("timestamp")));
        }

        return samples;
    }

    /// <inheritdoc />
    public async Task<long> DeleteOlderThanAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = connection.Command(null, "DELETE FROM monitoring_data WHERE timestamp < @cutoff", ("@cutoff", database.Dialect.Time(cutoff)));
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> SeriesAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null, "SELECT DISTINCT metric_name FROM monitoring_data WHERE tenant_id = @tenant", ("@tenant", tenantId));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private DbCommand InsertCommand(DbConnection connection, DbTransaction transaction, List<MetricSample> rows)
    {
        var sql = new StringBuilder("INSERT INTO monitoring_data (tenant_id, metric_type, metric_name, metric_value, timestamp) VALUES ");
        var parameters = new (string, object?)[rows.Count * 5];
        for (var i = 0; i < rows.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@t{i}, @y{i}, @n{i}, @v{i}, @s{i})");
            var row = rows[i];
            parameters[i * 5] = ($"@t{i}", row.TenantId);
            parameters[(i * 5) + 1] = ($"@y{i}", row.MetricType);
            parameters[(i * 5) + 2] = ($"@n{i}", row.MetricName);
            parameters[(i * 5) + 3] = ($"@v{i}", row.Value);
            parameters[(i * 5) + 4] = ($"@s{i}", database.Dialect.Time(row.Timestamp));
        }

        return connection.Command(transaction, sql.ToString(), parameters);
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
