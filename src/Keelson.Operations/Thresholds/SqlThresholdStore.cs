using System.Collections.Immutable;
using System.Data.Common;
using System.Text.Json;
using Keelson.Operations.Storage;

namespace Keelson.Operations.Thresholds;

/// <summary>
/// Threshold settings (table <c>threshold_settings</c>) in SQLite or PostgreSQL. Making a setting the default clears the
/// previous default of the same scope (the tenant, or the database-wide scope) in the same transaction, so a scope never
/// has two.
/// </summary>
public sealed class SqlThresholdStore(Database database)
{
    private const string Columns = "id, setting_id, tenant_id, name, description, category, thresholds, notifications_enabled, email_enabled, sms_enabled, " +
        "slack_enabled, preset_name, sla_level, is_active, is_default, created_at, updated_at";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private SqlDialect Dialect => database.Dialect;

    /// <summary>Stores a new setting (active); <see cref="RecordNotFoundException"/> when its tenant does not exist.</summary>
    public Task<ThresholdSetting> CreateAsync(ThresholdSetting setting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var now = database.Now();
        var created = setting with { IsActive = true, CreatedAt = now, UpdatedAt = now };
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            if (setting.TenantId is { } tenant)
            {
                await using var exists = connection.Command(transaction, "SELECT 1 FROM tenants WHERE tenant_id = @tenant", ("@tenant", tenant));
                if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                {
                    throw new RecordNotFoundException("tenant", tenant);
                }
            }

            if (created.IsDefault)
            {
                await ClearDefaultAsync(connection, transaction, created.TenantId, created.SettingId, cancellationToken).ConfigureAwait(false);
            }

            await using var insert = connection.Command(transaction,
                "INSERT INTO threshold_settings (setting_id, tenant_id, name, description, category, thresholds, notifications_enabled, email_enabled, sms_enabled, " +
                "slack_enabled, preset_name, sla_level, is_active, is_default, created_at, updated_at) VALUES (@setting, @tenant, @name, @description, @category, " +
                "@thresholds, @notifications, @email, @sms, @slack, @preset, @sla, @active, @default, @created, @updated) RETURNING id",
                Parameters(created));
            var id = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            return created with { Id = id };
        }, cancellationToken);
    }

    /// <summary>Replaces an active setting's content (its id, tenant and creation time stay); null when there is no active setting with that id.</summary>
    public Task<ThresholdSetting?> ReplaceAsync(ThresholdSetting setting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            var current = await ReadAsync(connection, transaction, "WHERE setting_id = @setting AND is_active = @true", cancellationToken,
                ("@setting", setting.SettingId), ("@true", true)).ConfigureAwait(false);
            if (current.Count == 0)
            {
                return null;
            }

            var updated = setting with { Id = current[0].Id, TenantId = current[0].TenantId, IsActive = true, CreatedAt = current[0].CreatedAt, UpdatedAt = database.Now() };
            if (updated.IsDefault)
            {
                await ClearDefaultAsync(connection, transaction, updated.TenantId, updated.SettingId, cancellationToken).ConfigureAwait(false);
            }

            await using var update = connection.Command(transaction,
                "UPDATE threshold_settings SET name = @name, description = @description, category = @category, thresholds = @thresholds, " +
                "notifications_enabled = @notifications, email_enabled = @email, sms_enabled = @sms, slack_enabled = @slack, preset_name = @preset, " +
                "sla_level = @sla, is_default = @default, updated_at = @updated WHERE setting_id = @setting",
                Parameters(updated));
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return (ThresholdSetting?)updated;
        }, cancellationToken);
    }

    /// <summary>The setting (active or not), or null.</summary>
    public async Task<ThresholdSetting?> GetAsync(string settingId, CancellationToken cancellationToken)
    {
        var found = await SelectAsync("WHERE setting_id = @setting", cancellationToken, ("@setting", settingId)).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>The active default of a scope: the tenant's own (<paramref name="tenantId"/>), or the database-wide one (null); null when there is none.</summary>
    public async Task<ThresholdSetting?> DefaultAsync(string? tenantId, CancellationToken cancellationToken)
    {
        var found = tenantId is null
            ? await SelectAsync("WHERE tenant_id IS NULL AND is_default = @true AND is_active = @true", cancellationToken, ("@true", true)).ConfigureAwait(false)
            : await SelectAsync("WHERE tenant_id = @tenant AND is_default = @true AND is_active = @true", cancellationToken, ("@tenant", tenantId), ("@true", true)).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Settings, defaults first then oldest first; of one category when given, active ones only unless <paramref name="activeOnly"/> is false.</summary>
    public Task<IReadOnlyList<ThresholdSetting>> ListAsync(string? category, bool activeOnly, CancellationToken cancellationToken)
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)>();
        if (category is not null)
        {
            where.Add("category = @category");
            parameters.Add(("@category", category));
        }

        if (activeOnly)
        {
            where.Add("is_active = @true");
            parameters.Add(("@true", true));
        }

        var clause = (where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where)) + " ORDER BY is_default DESC, created_at, id";
        return SelectAsync(clause, cancellationToken, [.. parameters]);
    }

    /// <summary>Soft-deletes the setting (it stays readable by id, inactive); false when there is no active setting with that id.</summary>
    public async Task<bool> DeactivateAsync(string settingId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var update = connection.Command(null,
            "UPDATE threshold_settings SET is_active = @false, is_default = @false, updated_at = @updated WHERE setting_id = @setting AND is_active = @true",
            ("@false", false), ("@true", true), ("@updated", Dialect.Time(database.Now())), ("@setting", settingId));
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private async Task ClearDefaultAsync(DbConnection connection, DbTransaction transaction, string? tenantId, string keep, CancellationToken cancellationToken)
    {
        var scope = tenantId is null ? "tenant_id IS NULL" : "tenant_id = @tenant";
        await using var clear = connection.Command(transaction,
            $"UPDATE threshold_settings SET is_default = @false, updated_at = @updated WHERE {scope} AND is_default = @true AND setting_id <> @keep",
            ("@false", false), ("@true", true), ("@updated", Dialect.Time(database.Now())), ("@tenant", tenantId ?? ""), ("@keep", keep));
        await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private (string, object?)[] Parameters(ThresholdSetting s) =>
    [
        ("@setting", s.SettingId), ("@tenant", s.TenantId), ("@name", s.Name), ("@description", s.Description), ("@category", s.Category),
        ("@thresholds", JsonSerializer.Serialize(s.Thresholds, Json)), ("@notifications", s.NotificationsEnabled), ("@email", s.EmailEnabled),
        ("@sms", s.SmsEnabled), ("@slack", s.SlackEnabled), ("@preset", s.PresetName), ("@sla", s.SlaLevel), ("@active", s.IsActive),
        ("@default", s.IsDefault), ("@created", Dialect.Time(s.CreatedAt)), ("@updated", Dialect.Time(s.UpdatedAt)),
    ];

    private async Task<IReadOnlyList<ThresholdSetting>> SelectAsync(string clause, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAsync(connection, null, clause, cancellationToken, parameters).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<ThresholdSetting>> ReadAsync(DbConnection connection, DbTransaction? transaction, string clause, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var select = connection.Command(transaction, $"SELECT {Columns} FROM threshold_settings {clause}", parameters);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var settings = new List<ThresholdSetting>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            settings.Add(new ThresholdSetting
            {
                Id = reader.GetInt64(0),
                SettingId = reader.GetString(1),
                TenantId = reader.NullableString("tenant_id"),
                Name = reader.GetString(3),
                Description = reader.NullableString("description"),
                Category = reader.GetString(5),
                Thresholds = (JsonSerializer.Deserialize<Dictionary<string, ThresholdLevel>>(reader.GetString(6), Json) ?? [])
                    .ToImmutableSortedDictionary(StringComparer.Ordinal),
                NotificationsEnabled = reader.GetBoolean(7),
                EmailEnabled = reader.GetBoolean(8),
                SmsEnabled = reader.GetBoolean(9),
                SlackEnabled = reader.GetBoolean(10),
                PresetName = reader.NullableString("preset_name"),
                SlaLevel = reader.IsDBNull(12) ? null : reader.GetDouble(12),
                IsActive = reader.GetBoolean(13),
                IsDefault = reader.GetBoolean(14),
                CreatedAt = reader.Time("created_at"),
                UpdatedAt = reader.Time("updated_at"),
            });
        }

        return settings;
    }
}
