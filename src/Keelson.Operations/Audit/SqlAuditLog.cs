using System.Data.Common;
using System.Globalization;
using Keelson.Operations.Storage;

namespace Keelson.Operations.Audit;

/// <summary>The audit trail in SQLite or PostgreSQL.</summary>
public sealed class SqlAuditLog(Database database) : IAuditLog
{
    /// <inheritdoc />
    public Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken) =>
        database.WriteAsync(connection => InsertAsync(database, connection, null, entry, cancellationToken), cancellationToken);

    /// <summary>Writes <paramref name="entry"/> on <paramref name="connection"/>, inside <paramref name="transaction"/> when given, so a change and its entry commit together.</summary>
    internal static async Task<AuditEntry> InsertAsync(Database database, DbConnection connection, DbTransaction? transaction, AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var stored = entry with
        {
            Time = entry.Time == default ? database.Now() : entry.Time.ToUniversalTime(),
            DetailsJson = SecretMask.Apply(entry.DetailsJson),
        };
        await using var command = connection.Command(
            transaction,
            $"INSERT INTO audit_log (at, actor, action, tenant_id, details) VALUES (@at, @actor, @action, @tenant, {database.Dialect.Json("@details")}) RETURNING id",
            ("@at", database.Dialect.Time(stored.Time)),
            ("@actor", stored.Actor),
            ("@action", stored.Action),
            ("@tenant", stored.TenantId),
            ("@details", stored.DetailsJson));
        var id = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return stored with { Id = Convert.ToInt64(id, CultureInfo.InvariantCulture) };
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(string? tenantId, int offset, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(
            null,
            "SELECT id, at, actor, action, tenant_id, details FROM audit_log " +
            (tenantId is null ? string.Empty : "WHERE tenant_id = @tenant ") +
            "ORDER BY id DESC LIMIT @limit OFFSET @offset",
            ("@tenant", tenantId),
            ("@limit", limit),
            ("@offset", offset));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new AuditEntry
            {
                Id = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture),
                Time = reader.Time("at"),
                Actor = reader.GetString(2),
                Action = reader.GetString(3),
                TenantId = reader.NullableString("tenant_id"),
                DetailsJson = reader.GetString(5),
            });
        }

        return entries;
    }
}
