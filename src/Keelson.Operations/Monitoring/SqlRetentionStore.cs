using Keelson.Operations.Audit;
using Keelson.Operations.Storage;

namespace Keelson.Operations.Monitoring;

/// <summary>
/// Retention set through the API (table <c>metric_retention</c>, one row) in SQLite or PostgreSQL; setting and clearing
/// write their audit entry in the same transaction.
/// </summary>
public sealed class SqlRetentionStore(Database database)
{
    /// <summary>The retention set through the API, or null when configuration is in force.</summary>
    public async Task<RetentionOverride?> GetAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null, "SELECT raw_seconds, minute_rollup_seconds, hour_rollup_seconds, updated_at, updated_by FROM metric_retention WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new RetentionOverride(
            new RetentionWindows(TimeSpan.FromSeconds(reader.GetInt64(0)), TimeSpan.FromSeconds(reader.GetInt64(1)), TimeSpan.FromSeconds(reader.GetInt64(2))),
            reader.Time(3), reader.GetString(4));
    }

    /// <summary>Puts <paramref name="windows"/> in force for every replica, with <paramref name="audit"/>; returns them as stored.</summary>
    public Task<RetentionOverride> SetAsync(RetentionWindows windows, AuditEntry audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(audit);
        var stored = new RetentionOverride(windows with
        {
            Raw = WholeSeconds(windows.Raw), MinuteRollups = WholeSeconds(windows.MinuteRollups), HourRollups = WholeSeconds(windows.HourRollups),
        }, database.Now(), audit.Actor);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            await using var upsert = connection.Command(transaction,
                "INSERT INTO metric_retention (id, raw_seconds, minute_rollup_seconds, hour_rollup_seconds, updated_at, updated_by) " +
                "VALUES (1, @raw, @minute, @hour, @at, @by) ON CONFLICT (id) DO UPDATE SET raw_seconds = excluded.raw_seconds, " +
                "minute_rollup_seconds = excluded.minute_rollup_seconds, hour_rollup_seconds = excluded.hour_rollup_seconds, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
                ("@raw", (long)stored.Windows.Raw.TotalSeconds), ("@minute", (long)stored.Windows.MinuteRollups.TotalSeconds), ("@hour", (long)stored.Windows.HourRollups.TotalSeconds),
                ("@at", database.Dialect.Time(stored.UpdatedAt)), ("@by", stored.UpdatedBy));
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await SqlAuditLog.InsertAsync(database, connection, transaction, audit, cancellationToken).ConfigureAwait(false);
            return stored;
        }, cancellationToken);
    }

    /// <summary>Puts configuration back in force, with <paramref name="audit"/>; false when nothing was set.</summary>
    public Task<bool> ClearAsync(AuditEntry audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(audit);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            await using var delete = connection.Command(transaction, "DELETE FROM metric_retention WHERE id = 1");
            var deleted = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            if (deleted)
            {
                await SqlAuditLog.InsertAsync(database, connection, transaction, audit, cancellationToken).ConfigureAwait(false);
            }

            return deleted;
        }, cancellationToken);
    }

    private static TimeSpan WholeSeconds(TimeSpan value) => TimeSpan.FromSeconds(Math.Floor(value.TotalSeconds));
}
