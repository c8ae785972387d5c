using System.Data.Common;
using System.Text.Json.Nodes;
using Keelson.Operations.Audit;
using Keelson.Operations.Storage;

namespace Keelson.Operations.Cicd;

/// <summary>
/// Global CI/CD settings (table <c>cicd_settings</c>) in SQLite or PostgreSQL with shared SQL. Credentials in a value are
/// split off by <see cref="CicdSecrets"/> before anything is written, so no read of a setting can return one.
/// </summary>
public sealed class SqlCicdSettingStore(Database database)
{
    private const string Columns = "id, setting_key, setting_category, setting_value, description, is_active, created_at, updated_at";

    private SqlDialect Dialect => database.Dialect;

    /// <summary>Settings ordered by category and key: of one category when given, only active ones unless <paramref name="activeOnly"/> is false.</summary>
    public async Task<IReadOnlyList<CicdSetting>> ListAsync(string? category, bool activeOnly, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        if (category is not null)
        {
            where.Add("setting_category = @category");
            parameters.Add(("@category", category));
        }

        if (activeOnly)
        {
            where.Add("is_active = @active");
            parameters.Add(("@active", true));
        }

        await using var select = connection.Command(null,
            $"SELECT {Columns} FROM cicd_settings {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))} ORDER BY setting_category, setting_key", [.. parameters]);
        return await ReadAllAsync(select, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The setting, or null.</summary>
    public async Task<CicdSetting?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadOneAsync(connection, null, key, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The stored credential at <paramref name="path"/> of a setting's value (members joined by <c>/</c>), for server-side use only.</summary>
    public async Task<string?> SecretAsync(string key, string path, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null, "SELECT secrets FROM cicd_settings WHERE setting_key = @key", ("@key", key));
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string secrets ? CicdSecrets.Get(secrets, path) : null;
    }

    /// <summary>
    /// Applies <paramref name="change"/>: creates the setting when it does not exist (unless <paramref name="mustExist"/>;
    /// a category is then required) and updates it otherwise (unless <paramref name="mustBeNew"/>). Returns the setting
    /// and whether it was created. <see cref="DuplicateCicdSettingException"/>, <see cref="RecordNotFoundException"/>.
    /// </summary>
    public Task<(CicdSetting Setting, bool Created)> SaveAsync(CicdSettingChange change, bool mustBeNew, bool mustExist, AuditEntry? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            string? storedSecrets = null;
            await using (var secrets = connection.Command(transaction, "SELECT secrets FROM cicd_settings WHERE setting_key = @key", ("@key", change.Key)))
            {
                storedSecrets = await secrets.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
            }

            var current = await ReadOneAsync(connection, transaction, change.Key, cancellationToken).ConfigureAwait(false);
            if (current is not null && mustBeNew)
            {
                throw new DuplicateCicdSettingException(change.Key);
            }

            if (current is null && (mustExist || change.Category is null))
            {
                throw new RecordNotFoundException("CI/CD setting", change.Key);
            }

            var (value, secretsJson) = CicdSecrets.Split(
                JsonNode.Parse(change.ValueJson ?? current?.ValueJson ?? "{}")!.AsObject(), storedSecrets);
            var now = database.Now();
            var saved = new CicdSetting
            {
                Key = change.Key,
                Category = change.Category ?? current!.Category,
                ValueJson = value,
                Description = change.Description ?? current?.Description,
                IsActive = change.IsActive ?? current?.IsActive ?? true,
                CreatedAt = current?.CreatedAt ?? now,
                UpdatedAt = now,
            };
            (string, object?)[] parameters =
            [
                ("@key", saved.Key), ("@category", saved.Category), ("@value", saved.ValueJson), ("@secrets", secretsJson),
                ("@description", saved.Description), ("@active", saved.IsActive), ("@created", Dialect.Time(saved.CreatedAt)), ("@updated", Dialect.Time(saved.UpdatedAt)),
            ];
            long id;
            try
            {
                await using var write = connection.Command(transaction, current is null
                    ? "INSERT INTO cicd_settings (setting_key, setting_category, setting_value, secrets, description, is_active, created_at, updated_at) " +
                      "VALUES (@key, @category, @value, @secrets, @description, @active, @created, @updated) RETURNING id"
                    : "UPDATE cicd_settings SET setting_category = @category, setting_value = @value, secrets = @secrets, description = @description, " +
                      "is_active = @active, updated_at = @updated WHERE setting_key = @key RETURNING id", parameters);
                id = Convert.ToInt64(await write.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (DbException e) when (Dialect.IsUniqueViolation(e))
            {
                throw new DuplicateCicdSettingException(change.Key);
            }

            if (audit is not null)
            {
                await SqlAuditLog.InsertAsync(database, connection, transaction, audit, cancellationToken).ConfigureAwait(false);
            }

            return (saved with { Id = id }, current is null);
        }, cancellationToken);
    }

    /// <summary>Deletes the setting and its credentials; false when there was none.</summary>
    public Task<bool> DeleteAsync(string key, AuditEntry? audit, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            await using var delete = connection.Command(transaction, "DELETE FROM cicd_settings WHERE setting_key = @key", ("@key", key));
            if (await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return false;
            }

            if (audit is not null)
            {
                await SqlAuditLog.InsertAsync(database, connection, transaction, audit, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);

    private static async Task<CicdSetting?> ReadOneAsync(DbConnection connection, DbTransaction? transaction, string key, CancellationToken cancellationToken)
    {
        await using var select = connection.Command(transaction, $"SELECT {Columns} FROM cicd_settings WHERE setting_key = @key", ("@key", key));
        var found = await ReadAllAsync(select, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    private static async Task<IReadOnlyList<CicdSetting>> ReadAllAsync(DbCommand select, CancellationToken cancellationToken)
    {
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var settings = new List<CicdSetting>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            settings.Add(new CicdSetting
            {
                Id = reader.GetInt64(0),
                Key = reader.GetString(1),
                Category = reader.GetString(2),
                ValueJson = reader.GetString(3),
                Description = reader.NullableString("description"),
                IsActive = reader.GetBoolean(5),
                CreatedAt = reader.Time("created_at"),
                UpdatedAt = reader.Time("updated_at"),
            });
        }

        return settings;
    }
}

/// <summary>A setting with that key exists already.</summary>
public sealed class DuplicateCicdSettingException(string key) : Exception($"A CI/CD setting '{key}' already exists; change it with PUT.")
{
    /// <summary>The key.</summary>
    public string Key { get; } = key;
}
