using System.Collections.Immutable;
using System.Data.Common;
using System.Text.Json;
using Keelson.Operations.Storage;

namespace Keelson.Operations.Alerts;

/// <summary>
/// Alert rules (table <c>alert_rules</c>) and each tenant's evaluation interval and lease (<c>alert_evaluations</c>) in
/// SQLite or PostgreSQL with shared SQL. The lease is taken the way the deployment lease is: one upsert that succeeds only
/// when the row is free, expired, or already ours.
/// </summary>
public sealed class SqlAlertRuleStore(Database database)
{
    /// <summary>The evaluation interval of a tenant that never set one (Prometheus's default).</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(15);

    private const string Columns = "tenant_id, name, condition, expr, for_ms, keep_firing_for_ms, severity, labels, annotations, actions, enabled, version, created_at, updated_at";

    private SqlDialect Dialect => database.Dialect;

    /// <summary>Stores a new rule at version 1; <see cref="DuplicateAlertRuleException"/> when the name is taken, <see cref="RecordNotFoundException"/> without the tenant.</summary>
    public Task<AlertRuleRecord> CreateAsync(AlertRuleRecord rule, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var now = database.Now();
        var created = rule with { Version = 1, CreatedAt = now, UpdatedAt = now };
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            await using (var tenant = connection.Command(transaction, "SELECT 1 FROM tenants WHERE tenant_id = @tenant", ("@tenant", rule.TenantId)))
            {
                if (await tenant.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                {
                    throw new RecordNotFoundException("tenant", rule.TenantId);
                }
            }

            // The existence check and insert share the transaction (SQLite: BEGIN IMMEDIATE); the primary key settles PostgreSQL races.
            await using (var exists = connection.Command(transaction, "SELECT 1 FROM alert_rules WHERE tenant_id = @tenant AND name = @name", ("@tenant", rule.TenantId), ("@name", rule.Name)))
            {
                if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
                {
                    throw new DuplicateAlertRuleException(rule.TenantId, rule.Name);
                }
            }

            try
            {
                await using var insert = connection.Command(transaction,
                    $"INSERT INTO alert_rules ({Columns}) VALUES (@tenant, @name, @condition, @expr, @for, @keep, @severity, @labels, @annotations, @actions, @enabled, @version, @created, @updated)",
                    Parameters(created));
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbException e) when (Dialect.IsUniqueViolation(e))
            {
                throw new DuplicateAlertRuleException(rule.TenantId, rule.Name);
            }

            await using (var evaluation = connection.Command(transaction,
                "INSERT INTO alert_evaluations (tenant_id, interval_ms) VALUES (@tenant, @interval) ON CONFLICT (tenant_id) DO NOTHING",
                ("@tenant", rule.TenantId), ("@interval", (long)DefaultInterval.TotalMilliseconds)))
            {
                await evaluation.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return created;
        }, cancellationToken);
    }

    /// <summary>The rule, or null.</summary>
    public async Task<AlertRuleRecord?> GetAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        var rules = await SelectAsync("WHERE tenant_id = @tenant AND name = @name", cancellationToken, ("@tenant", tenantId), ("@name", name)).ConfigureAwait(false);
        return rules.Count == 0 ? null : rules[0];
    }

    /// <summary>The tenant's rules by name.</summary>
    public Task<IReadOnlyList<AlertRuleRecord>> ListAsync(string tenantId, CancellationToken cancellationToken) =>
        SelectAsync("WHERE tenant_id = @tenant ORDER BY name", cancellationToken, ("@tenant", tenantId));

    /// <summary>
    /// Replaces the rule's definition if it is still at <paramref name="expectedVersion"/> (null: whatever version it is at);
    /// <see cref="ConcurrencyException"/> when it moved on, <see cref="RecordNotFoundException"/> when it is gone.
    /// </summary>
    public Task<AlertRuleRecord> ReplaceAsync(AlertRuleRecord rule, long? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return database.InTransactionAsync(async (connection, transaction) =>
        {
            var current = await ReadOneAsync(connection, transaction, rule.TenantId, rule.Name, cancellationToken).ConfigureAwait(false)
                ?? throw new RecordNotFoundException("alert rule", $"{rule.Name}' of tenant '{rule.TenantId}");
            if (expectedVersion is { } expected && expected != current.Version)
            {
                throw new ConcurrencyException("alert rule", rule.Name, expected);
            }

            var updated = rule with { Version = current.Version + 1, CreatedAt = current.CreatedAt, UpdatedAt = database.Now() };
            await using var update = connection.Command(transaction,
                "UPDATE alert_rules SET condition = @condition, expr = @expr, for_ms = @for, keep_firing_for_ms = @keep, severity = @severity, labels = @labels, " +
                "annotations = @annotations, actions = @actions, enabled = @enabled, version = @version, updated_at = @updated " +
                "WHERE tenant_id = @tenant AND name = @name AND version = @current",
                [.. Parameters(updated), ("@current", current.Version)]);
            return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1
                ? updated
                : throw new ConcurrencyException("alert rule", rule.Name, current.Version);
        }, cancellationToken);
    }

    /// <summary>Switches the rule on or off (a new version); null when there is no such rule.</summary>
    public async Task<AlertRuleRecord?> SetEnabledAsync(string tenantId, string name, bool enabled, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var update = connection.Command(null,
            "UPDATE alert_rules SET enabled = @enabled, version = version + 1, updated_at = @updated WHERE tenant_id = @tenant AND name = @name",
            ("@enabled", enabled), ("@updated", Dialect.Time(database.Now())), ("@tenant", tenantId), ("@name", name));
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1
            ? await GetAsync(tenantId, name, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>Deletes the rule and its current state (its history stays); false when there was no such rule.</summary>
    public Task<bool> DeleteAsync(string tenantId, string name, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            await using var delete = connection.Command(transaction, "DELETE FROM alert_rules WHERE tenant_id = @tenant AND name = @name", ("@tenant", tenantId), ("@name", name));
            if (await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return false;
            }

            await using var state = connection.Command(transaction, "DELETE FROM alert_states WHERE tenant_id = @tenant AND rule_name = @name", ("@tenant", tenantId), ("@name", name));
            await state.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>Tenants to evaluate: those with rules, and those with states left to resolve or forget.</summary>
    public async Task<IReadOnlyList<string>> TenantsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null,
            "SELECT tenant_id FROM alert_rules UNION SELECT tenant_id FROM alert_states s WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.tenant_id = s.tenant_id) ORDER BY tenant_id");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var tenants = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            tenants.Add(reader.GetString(0));
        }

        return tenants;
    }

    /// <summary>Pending and firing alerts with their rule's severity: of one tenant, or of all when <paramref name="tenantId"/> is null.</summary>
    public async Task<IReadOnlyList<ActiveAlertState>> ActiveAsync(string? tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null,
            "SELECT s.tenant_id, s.rule_name, COALESCE(r.severity, '') AS severity, s.phase, s.active_at, s.fired_at, s.resolved_at, s.keep_firing_since, s.value, s.series " +
            "FROM alert_states s LEFT JOIN alert_rules r ON r.tenant_id = s.tenant_id AND r.name = s.rule_name " +
            "WHERE s.phase <> @inactive AND (@tenant IS NULL OR s.tenant_id = @tenant) ORDER BY s.tenant_id, s.rule_name, s.series",
            ("@inactive", nameof(AlertPhase.Inactive)), ("@tenant", tenantId));
        if (tenantId is null)
        {
            // PostgreSQL cannot infer the type of a parameter that is only ever NULL.
            select.Parameters["@tenant"].DbType = System.Data.DbType.String;
        }

        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var active = new List<ActiveAlertState>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            active.Add(new ActiveAlertState(reader.GetString(0), reader.GetString(1), reader.GetString(2), new AlertState(
                Enum.Parse<AlertPhase>(reader.GetString(3)), reader.Time("active_at"), reader.NullableTime("fired_at"), reader.NullableTime("resolved_at"),
                reader.NullableTime("keep_firing_since"), reader.GetDouble(8)), reader.GetString(9)));
        }

        return active;
    }

    /// <summary>The tenant's evaluation interval (the default until set).</summary>
    public async Task<TimeSpan> IntervalAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null, "SELECT interval_ms FROM alert_evaluations WHERE tenant_id = @tenant", ("@tenant", tenantId));
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is { } value and not DBNull
            ? TimeSpan.FromMilliseconds(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture))
            : DefaultInterval;
    }

    /// <summary>Sets the tenant's evaluation interval; <see cref="RecordNotFoundException"/> without the tenant.</summary>
    public Task SetIntervalAsync(string tenantId, TimeSpan interval, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            await using (var tenant = connection.Command(transaction, "SELECT 1 FROM tenants WHERE tenant_id = @tenant", ("@tenant", tenantId)))
            {
                if (await tenant.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                {
                    throw new RecordNotFoundException("tenant", tenantId);
                }
            }

            await using var upsert = connection.Command(transaction,
                "INSERT INTO alert_evaluations (tenant_id, interval_ms) VALUES (@tenant, @interval) ON CONFLICT (tenant_id) DO UPDATE SET interval_ms = excluded.interval_ms",
                ("@tenant", tenantId), ("@interval", (long)interval.TotalMilliseconds));
            return await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// Takes or renews the tenant's evaluation lease for <paramref name="owner"/> until <paramref name="until"/>, atomically:
    /// only when no one holds it, it ran out by <paramref name="now"/>, or <paramref name="owner"/> holds it already.
    /// </summary>
    public Task<AlertEvaluationLease> TryLeaseAsync(string tenantId, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            // The same single statement as the deployment lease: PostgreSQL re-checks the WHERE on the locked row, SQLite holds the write lock.
            await using var upsert = connection.Command(transaction,
                "INSERT INTO alert_evaluations (tenant_id, interval_ms, lease_owner, lease_until) VALUES (@tenant, @interval, @owner, @until) " +
                "ON CONFLICT (tenant_id) DO UPDATE SET lease_owner = excluded.lease_owner, lease_until = excluded.lease_until " +
                "WHERE alert_evaluations.lease_owner IS NULL OR alert_evaluations.lease_until <= @now OR alert_evaluations.lease_owner = excluded.lease_owner " +
                "RETURNING interval_ms, evaluated_at",
                ("@tenant", tenantId), ("@interval", (long)DefaultInterval.TotalMilliseconds), ("@owner", owner), ("@until", Dialect.Time(until)), ("@now", Dialect.Time(now)));
            await using var reader = await upsert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return new AlertEvaluationLease(false, DefaultInterval, null);
            }

            return new AlertEvaluationLease(true, TimeSpan.FromMilliseconds(reader.GetInt64(0)), reader.NullableTime("evaluated_at"));
        }, cancellationToken);

    /// <summary>Records an evaluation at <paramref name="at"/> if <paramref name="owner"/> still holds the lease; false when it does not.</summary>
    public async Task<bool> MarkEvaluatedAsync(string tenantId, string owner, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var update = connection.Command(null, "UPDATE alert_evaluations SET evaluated_at = @at WHERE tenant_id = @tenant AND lease_owner = @owner",
            ("@at", Dialect.Time(at)), ("@tenant", tenantId), ("@owner", owner));
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Gives the tenant's lease up if <paramref name="owner"/> holds it (a stopping replica), so another takes over at once.</summary>
    public async Task<bool> ReleaseLeaseAsync(string tenantId, string owner, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var update = connection.Command(null, "UPDATE alert_evaluations SET lease_owner = NULL, lease_until = NULL WHERE tenant_id = @tenant AND lease_owner = @owner",
            ("@tenant", tenantId), ("@owner", owner));
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    private (string, object?)[] Parameters(AlertRuleRecord r) =>
    [
        ("@tenant", r.TenantId), ("@name", r.Name), ("@condition", r.Condition), ("@expr", r.Expr),
        ("@for", (long)r.For.TotalMilliseconds), ("@keep", (long)r.KeepFiringFor.TotalMilliseconds), ("@severity", r.Severity),
        ("@labels", JsonSerializer.Serialize(r.Labels)), ("@annotations", JsonSerializer.Serialize(r.Annotations)),
        ("@actions", JsonSerializer.Serialize(r.Actions)), ("@enabled", r.Enabled), ("@version", r.Version),
        ("@created", Dialect.Time(r.CreatedAt)), ("@updated", Dialect.Time(r.UpdatedAt)),
    ];

    private async Task<IReadOnlyList<AlertRuleRecord>> SelectAsync(string where, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null, $"SELECT {Columns} FROM alert_rules {where}", parameters);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rules = new List<AlertRuleRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rules.Add(Read(reader));
        }

        return rules;
    }

    private static async Task<AlertRuleRecord?> ReadOneAsync(DbConnection connection, DbTransaction transaction, string tenantId, string name, CancellationToken cancellationToken)
    {
        await using var select = connection.Command(transaction, $"SELECT {Columns} FROM alert_rules WHERE tenant_id = @tenant AND name = @name", ("@tenant", tenantId), ("@name", name));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    private static AlertRuleRecord Read(DbDataReader r) => new()
    {
        TenantId = r.GetString(0),
        Name = r.GetString(1),
        Condition = r.GetString(2),
        Expr = r.NullableString("expr"),
        For = TimeSpan.FromMilliseconds(r.GetInt64(4)),
        KeepFiringFor = TimeSpan.FromMilliseconds(r.GetInt64(5)),
        Severity = r.GetString(6),
        Labels = Map(r.GetString(7)),
        Annotations = Map(r.GetString(8)),
        Actions = JsonSerializer.Deserialize<List<AlertAction>>(r.GetString(9)) ?? [],
        Enabled = r.GetBoolean(10),
        Version = r.GetInt64(11),
        CreatedAt = r.Time("created_at"),
        UpdatedAt = r.Time("updated_at"),
    };

    private static ImmutableSortedDictionary<string, string> Map(string json) =>
        (JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? []).ToImmutableSortedDictionary(StringComparer.Ordinal);
}
