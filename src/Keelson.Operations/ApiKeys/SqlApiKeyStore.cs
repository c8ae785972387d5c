using System.Data.Common;
using Keelson.Operations.Audit;
using Keelson.Operations.Storage;

namespace Keelson.Operations.ApiKeys;

/// <summary>
/// Issued API keys (table <c>api_keys</c>) in SQLite or PostgreSQL: only the secret's hash is stored. Creating and
/// revoking write their audit entry in the same transaction, so the trail never misses a key.
/// </summary>
public sealed class SqlApiKeyStore(Database database)
{
    private const string Columns = "key_id, secret_hash, prefix, name, tenant_id, created_at, expires_at, last_used_at, revoked_at";

    /// <summary>Stores a new key under the hash of its secret, with <paramref name="audit"/>; returns it with the database's creation time.</summary>
    public Task<ApiKeyRecord> CreateAsync(ApiKeyRecord key, string secretHash, AuditEntry audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(secretHash);
        ArgumentNullException.ThrowIfNull(audit);
        var created = key with { CreatedAt = database.Now(), LastUsedAt = null, RevokedAt = null };
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            await using var insert = connection.Command(transaction,
                $"INSERT INTO api_keys ({Columns}) VALUES (@id, @hash, @prefix, @name, @tenant, @created, @expires, NULL, NULL)",
                ("@id", created.Id), ("@hash", secretHash), ("@prefix", created.Prefix), ("@name", created.Name), ("@tenant", created.TenantId),
                ("@created", database.Dialect.Time(created.CreatedAt)), ("@expires", created.ExpiresAt is { } e ? database.Dialect.Time(e) : null));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await SqlAuditLog.InsertAsync(database, connection, transaction, audit with { TenantId = audit.TenantId ?? created.TenantId }, cancellationToken).ConfigureAwait(false);
            return created;
        }, cancellationToken);
    }

    /// <summary>Every key, oldest first (revoked ones too).</summary>
    public async Task<IReadOnlyList<ApiKeyRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null, $"SELECT {Columns} FROM api_keys ORDER BY created_at, key_id");
        return [.. (await ReadAsync(command, cancellationToken).ConfigureAwait(false)).Select(k => k.Key)];
    }

    /// <summary>The key whose secret hashes to <paramref name="secretHash"/>, revoked or expired ones too; null when none does.</summary>
    public async Task<ApiKeyRecord?> FindAsync(string secretHash, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secretHash);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null, $"SELECT {Columns} FROM api_keys WHERE secret_hash = @hash", ("@hash", secretHash));
        var found = await ReadAsync(command, cancellationToken).ConfigureAwait(false);

        // The index found the row; the hashes are compared again in constant time so no timing says how close a guess came.
        return found.Count == 1 && ApiKeySecret.SameHash(found[0].Hash, secretHash) ? found[0].Key : null;
    }

    /// <summary>Revokes a key now, with <paramref name="audit"/>; a key revoked before keeps its first revocation time. Null when no key has the id.</summary>
    public Task<ApiKeyRecord?> RevokeAsync(string id, AuditEntry audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(audit);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            await using var update = connection.Command(transaction, "UPDATE api_keys SET revoked_at = @now WHERE key_id = @id AND revoked_at IS NULL",
                ("@now", database.Dialect.Time(database.Now())), ("@id", id));
            var changed = await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await using var select = connection.Command(transaction, $"SELECT {Columns} FROM api_keys WHERE key_id = @id", ("@id", id));
            var found = await ReadAsync(select, cancellationToken).ConfigureAwait(false);
            if (found.Count == 0)
            {
                return null;
            }

            if (changed > 0)
            {
                await SqlAuditLog.InsertAsync(database, connection, transaction, audit with { TenantId = audit.TenantId ?? found[0].Key.TenantId }, cancellationToken).ConfigureAwait(false);
            }

            return (ApiKeyRecord?)found[0].Key;
        }, cancellationToken);
    }

    /// <summary>Records that a key authenticated a request at <paramref name="at"/>.</summary>
    public Task TouchAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return database.WriteAsync(async connection =>
        {
            await using var update = connection.Command(null, "UPDATE api_keys SET last_used_at = @at WHERE key_id = @id", ("@at", database.Dialect.Time(at)), ("@id", id));
            return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    private static async Task<List<(ApiKeyRecord Key, string Hash)>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var keys = new List<(ApiKeyRecord, string)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add((new ApiKeyRecord(
                reader.GetString(0), reader.GetString(2), reader.GetString(3), reader.NullableString("tenant_id"), reader.Time("created_at"),
                reader.NullableTime("expires_at"), reader.NullableTime("last_used_at"), reader.NullableTime("revoked_at")), reader.GetString(1)));
        }

        return keys;
    }
}
