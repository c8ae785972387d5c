using System.Data.Common;
using System.Globalization;
using Keelson.Operations.Audit;
using Keelson.Operations.Storage;

namespace Keelson.Operations.Models;

/// <summary>
/// Model versions, aliases and serving settings (tables <c>models</c>, <c>model_versions</c>, <c>model_aliases</c>) in
/// SQLite or PostgreSQL with shared SQL. Each change and its audit entry commit in one transaction.
/// </summary>
public sealed class SqlModelStore(Database database)
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, OnnxModelInfo> Descriptions = new(StringComparer.Ordinal);

    private const string VersionColumns = "tenant_id, name, version, digest, size_bytes, info, uploaded_by, uploaded_at";

    private SqlDialect Dialect => database.Dialect;

    /// <summary>Records a new version (the model's next number) of a file already described; returns it as stored.</summary>
    public Task<ModelVersion> AddVersionAsync(string tenantId, string name, string digest, long sizeBytes, OnnxModelInfo info, string actor, AuditEntry? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(info);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            var now = database.Now();
            int version;
            await using (var next = connection.Command(transaction,
                "INSERT INTO models (tenant_id, name, last_version, created_at) VALUES (@tenant, @name, 1, @now) " +
                "ON CONFLICT (tenant_id, name) DO UPDATE SET last_version = models.last_version + 1 RETURNING last_version",
                ("@tenant", tenantId), ("@name", name), ("@now", Dialect.Time(now))))
            {
                version = Convert.ToInt32(await next.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }

            var stored = new ModelVersion
            {
                TenantId = tenantId, Name = name, Version = version, Digest = digest, SizeBytes = sizeBytes, Info = info, UploadedBy = actor, UploadedAt = now,
            };
            await using (var insert = connection.Command(transaction,
                $"INSERT INTO model_versions ({VersionColumns}) VALUES (@tenant, @name, @version, @digest, @size, @info, @by, @at)",
                ("@tenant", tenantId), ("@name", name), ("@version", version), ("@digest", digest), ("@size", sizeBytes),
                ("@info", ModelInfoJson.Write(info)), ("@by", actor), ("@at", Dialect.Time(now))))
            {
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await AuditAsync(connection, transaction, audit, cancellationToken).ConfigureAwait(false);
            return stored;
        }, cancellationToken);
    }

    /// <summary>The model's versions, newest first, each with the aliases pointing at it; empty for an unknown model.</summary>
    public async Task<IReadOnlyList<ModelVersion>> ListVersionsAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadVersionsAsync(connection, null, tenantId, name, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The tenant's model names with their newest version number, sorted by name.</summary>
    public async Task<IReadOnlyList<(string Name, int LatestVersion, int Versions)>> ListModelsAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null,
            "SELECT name, MAX(version), COUNT(*) FROM model_versions WHERE tenant_id = @tenant GROUP BY name ORDER BY name", ("@tenant", tenantId));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var models = new List<(string, int, int)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            models.Add((reader.GetString(0), Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture), Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture)));
        }

        return models;
    }

    /// <summary>
    /// The version a label names at this instant: a number, an alias, or (null) the newest version; null when there is none.
    /// One query, so an alias moved at the same time resolves to the old or the new version, never to nothing.
    /// </summary>
    public async Task<ModelVersion?> ResolveAsync(string tenantId, string name, string? label, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        if (label is null)
        {
            var all = await ReadVersionsAsync(connection, null, tenantId, name, null, cancellationToken).ConfigureAwait(false);
            return all.Count == 0 ? null : all[0];
        }

        if (int.TryParse(label, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            var one = await ReadVersionsAsync(connection, null, tenantId, name, number, cancellationToken).ConfigureAwait(false);
            return one.Count == 0 ? null : one[0];
        }

        await using var select = connection.Command(null,
            $"SELECT {string.Join(", ", VersionColumns.Split(", ").Select(c => "v." + c))} FROM model_aliases a JOIN model_versions v " +
            "ON v.tenant_id = a.tenant_id AND v.name = a.name AND v.version = a.version WHERE a.tenant_id = @tenant AND a.name = @name AND a.alias = @alias",
            ("@tenant", tenantId), ("@name", name), ("@alias", label));
        var found = await ReadAllAsync(select, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0] with { Aliases = [label] };
    }

    /// <summary>
    /// For serving, in one query: the version a label names (a number, an alias, or null for the <c>production</c> alias
    /// when set, else the newest version) and the model's serving settings; null when nothing matches.
    /// </summary>
    public async Task<(ModelVersion Version, ModelServing Serving)?> ResolveForServingAsync(string tenantId, string name, string? label, CancellationToken cancellationToken)
    {
        var isNumber = int.TryParse(label, NumberStyles.None, CultureInfo.InvariantCulture, out var number);
        var version = isNumber ? "@number"
            : label is not null ? "(SELECT a.version FROM model_aliases a WHERE a.tenant_id = @tenant AND a.name = @name AND a.alias = @alias)"
            : "COALESCE((SELECT a.version FROM model_aliases a WHERE a.tenant_id = @tenant AND a.name = @name AND a.alias = 'production'), " +
              "(SELECT MAX(l.version) FROM model_versions l WHERE l.tenant_id = @tenant AND l.name = @name))";
        var parameters = new List<(string, object?)> { ("@tenant", tenantId), ("@name", name) };
        if (isNumber)
        {
            parameters.Add(("@number", number));
        }
        else if (label is not null)
        {
            parameters.Add(("@alias", label));
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null,
            $"SELECT {string.Join(", ", VersionColumns.Split(", ").Select(c => "v." + c))}, m.max_batch_size, m.max_queue_delay_us, m.max_concurrency " +
            $"FROM model_versions v JOIN models m ON m.tenant_id = v.tenant_id AND m.name = v.name WHERE v.tenant_id = @tenant AND v.name = @name AND v.version = {version}",
            [.. parameters]);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var found = ReadVersion(reader);
        return (found, new ModelServing
        {
            MaxBatchSize = Convert.ToInt32(reader.GetValue(8), CultureInfo.InvariantCulture),
            MaxQueueDelayMicroseconds = Convert.ToInt32(reader.GetValue(9), CultureInfo.InvariantCulture),
            MaxConcurrency = Convert.ToInt32(reader.GetValue(10), CultureInfo.InvariantCulture),
        });
    }

    /// <summary>Deletes a version no alias points at; false when there is no such version, <see cref="ModelConflictException"/> naming the aliases otherwise.</summary>
    public Task<bool> DeleteVersionAsync(string tenantId, string name, int version, AuditEntry? audit, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            var aliases = await AliasesOfAsync(connection, transaction, tenantId, name, version, cancellationToken).ConfigureAwait(false);
            if (aliases.Count > 0)
            {
                throw new ModelConflictException(
                    $"version {version} of model '{name}' is what alias{(aliases.Count > 1 ? "es" : "")} {string.Join(", ", aliases.Select(a => $"'{a}'"))} point{(aliases.Count > 1 ? "" : "s")} at; move or delete the alias first");
            }

            await using var delete = connection.Command(transaction, "DELETE FROM model_versions WHERE tenant_id = @tenant AND name = @name AND version = @version",
                ("@tenant", tenantId), ("@name", name), ("@version", version));
            var deleted = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            if (deleted)
            {
                await AuditAsync(connection, transaction, audit, cancellationToken).ConfigureAwait(false);
            }

            return deleted;
        }, cancellationToken);

    // Aliases before the versions they point at, versions before their model's row.
    private static readonly string[] TenantTables = ["model_aliases", "model_versions", "models"];

    /// <summary>Deletes every model of a tenant (aliases, versions, serving settings) in one transaction; the digests its versions used.</summary>
    public Task<IReadOnlyList<string>> DeleteTenantAsync(string tenantId, CancellationToken cancellationToken) =>
        database.InTransactionAsync<IReadOnlyList<string>>(async (connection, transaction) =>
        {
            var digests = new List<string>();
            await using (var select = connection.Command(transaction, "SELECT DISTINCT digest FROM model_versions WHERE tenant_id = @tenant ORDER BY digest", ("@tenant", tenantId)))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    digests.Add(reader.GetString(0));
                }
            }

            foreach (var table in TenantTables)
            {
                await using var delete = connection.Command(transaction, $"DELETE FROM {table} WHERE tenant_id = @tenant", ("@tenant", tenantId));
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return digests;
        }, cancellationToken);

    /// <summary>Whether any version of any model (of any tenant) in this database still uses the file.</summary>
    public async Task<bool> IsDigestUsedAsync(string digest, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null, "SELECT COUNT(*) FROM model_versions WHERE digest = @digest", ("@digest", digest));
        return Convert.ToInt64(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>
    /// Points <paramref name="alias"/> at <paramref name="version"/> in one statement (created or moved);
    /// <see cref="RecordNotFoundException"/> when the version does not exist. Returns the alias as stored.
    /// </summary>
    public Task<ModelAlias> SetAliasAsync(string tenantId, string name, string alias, int version, string actor, AuditEntry? audit, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            if ((await ReadVersionsAsync(connection, transaction, tenantId, name, version, cancellationToken).ConfigureAwait(false)).Count == 0)
            {
                throw new RecordNotFoundException("model version", $"{version}' of model '{name}");
            }

            var now = database.Now();
            await using (var upsert = connection.Command(transaction,
                "INSERT INTO model_aliases (tenant_id, name, alias, version, updated_by, updated_at) VALUES (@tenant, @name, @alias, @version, @by, @at) " +
                "ON CONFLICT (tenant_id, name, alias) DO UPDATE SET version = excluded.version, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
                ("@tenant", tenantId), ("@name", name), ("@alias", alias), ("@version", version), ("@by", actor), ("@at", Dialect.Time(now))))
            {
                await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await AuditAsync(connection, transaction, audit, cancellationToken).ConfigureAwait(false);
            return new ModelAlias(tenantId, name, alias, version, actor, now);
        }, cancellationToken);

    /// <summary>The model's aliases, sorted by name.</summary>
    public async Task<IReadOnlyList<ModelAlias>> ListAliasesAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null,
            "SELECT tenant_id, name, alias, version, updated_by, updated_at FROM model_aliases WHERE tenant_id = @tenant AND name = @name ORDER BY alias",
            ("@tenant", tenantId), ("@name", name));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var aliases = new List<ModelAlias>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            aliases.Add(new ModelAlias(reader.GetString(0), reader.GetString(1), reader.GetString(2), Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture),
                reader.GetString(4), reader.Time("updated_at")));
        }

        return aliases;
    }

    /// <summary>Removes an alias; false when it did not exist.</summary>
    public Task<bool> DeleteAliasAsync(string tenantId, string name, string alias, AuditEntry? audit, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            await using var delete = connection.Command(transaction, "DELETE FROM model_aliases WHERE tenant_id = @tenant AND name = @name AND alias = @alias",
                ("@tenant", tenantId), ("@name", name), ("@alias", alias));
            var deleted = await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
            if (deleted)
            {
                await AuditAsync(connection, transaction, audit, cancellationToken).ConfigureAwait(false);
            }

            return deleted;
        }, cancellationToken);

    /// <summary>How the model is served; the defaults for a model never configured (or unknown).</summary>
    public async Task<ModelServing> ServingAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null,
            "SELECT max_batch_size, max_queue_delay_us, max_concurrency FROM models WHERE tenant_id = @tenant AND name = @name", ("@tenant", tenantId), ("@name", name));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new ModelServing
            {
                MaxBatchSize = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture),
                MaxQueueDelayMicroseconds = Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture),
                MaxConcurrency = Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture),
            }
            : ModelServing.Default;
    }

    /// <summary>Sets how an existing model is served; <see cref="RecordNotFoundException"/> for a model with no versions ever.</summary>
    public Task<ModelServing> SetServingAsync(string tenantId, string name, ModelServing serving, AuditEntry? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(serving);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            await using (var update = connection.Command(transaction,
                "UPDATE models SET max_batch_size = @batch, max_queue_delay_us = @delay, max_concurrency = @concurrency WHERE tenant_id = @tenant AND name = @name",
                ("@batch", serving.MaxBatchSize), ("@delay", serving.MaxQueueDelayMicroseconds), ("@concurrency", serving.MaxConcurrency), ("@tenant", tenantId), ("@name", name)))
            {
                if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
                {
                    throw new RecordNotFoundException("model", name);
                }
            }

            await AuditAsync(connection, transaction, audit, cancellationToken).ConfigureAwait(false);
            return serving;
        }, cancellationToken);
    }

    private async Task AuditAsync(DbConnection connection, DbTransaction transaction, AuditEntry? audit, CancellationToken cancellationToken)
    {
        if (audit is not null)
        {
            await SqlAuditLog.InsertAsync(database, connection, transaction, audit, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<IReadOnlyList<string>> AliasesOfAsync(DbConnection connection, DbTransaction? transaction, string tenantId, string name, int version, CancellationToken cancellationToken)
    {
        await using var select = connection.Command(transaction,
            "SELECT alias FROM model_aliases WHERE tenant_id = @tenant AND name = @name AND version = @version ORDER BY alias",
            ("@tenant", tenantId), ("@name", name), ("@version", version));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var aliases = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            aliases.Add(reader.GetString(0));
        }

        return aliases;
    }

    private static async Task<IReadOnlyList<ModelVersion>> ReadVersionsAsync(DbConnection connection, DbTransaction? transaction, string tenantId, string name, int? version, CancellationToken cancellationToken)
    {
        List<ModelVersion> versions;
        await using (var select = connection.Command(transaction,
            $"SELECT {VersionColumns} FROM model_versions WHERE tenant_id = @tenant AND name = @name {(version is null ? "" : "AND version = @version")} ORDER BY version DESC",
            ("@tenant", tenantId), ("@name", name), ("@version", version)))
        {
            versions = [.. await ReadAllAsync(select, cancellationToken).ConfigureAwait(false)];
        }

        var aliases = new Dictionary<int, List<string>>();
        await using (var select = connection.Command(transaction, "SELECT alias, version FROM model_aliases WHERE tenant_id = @tenant AND name = @name ORDER BY alias",
            ("@tenant", tenantId), ("@name", name)))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var v = Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture);
                (aliases.TryGetValue(v, out var list) ? list : aliases[v] = []).Add(reader.GetString(0));
            }
        }

        return [.. versions.Select(v => aliases.TryGetValue(v.Version, out var a) ? v with { Aliases = a } : v)];
    }

    private static async Task<IReadOnlyList<ModelVersion>> ReadAllAsync(DbCommand select, CancellationToken cancellationToken)
    {
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var versions = new List<ModelVersion>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(ReadVersion(reader));
        }

        return versions;
    }

    private static ModelVersion ReadVersion(DbDataReader reader)
    {
        var digest = reader.GetString(3);
        return new ModelVersion
        {
            TenantId = reader.GetString(0),
            Name = reader.GetString(1),
            Version = Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture),
            Digest = digest,
            SizeBytes = Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture),

            // A digest's description never changes, so it is parsed once per process rather than on every request.
            Info = Descriptions.GetOrAdd(digest, _ => ModelInfoJson.Read(reader.GetString(5))),
            UploadedBy = reader.GetString(6),
            UploadedAt = reader.Time("uploaded_at"),
        };
    }
}
