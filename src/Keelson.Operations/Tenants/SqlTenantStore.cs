using System.Data.Common;
using System.Globalization;
using Keelson.Operations.Audit;
using Keelson.Operations.Storage;

namespace Keelson.Operations.Tenants;

/// <summary>Tenants in SQLite or PostgreSQL; the SQL is shared, the dialect covers JSON and times.</summary>
public sealed class SqlTenantStore(Database database) : ITenantStore
{
    private const string Columns =
        "tenant_id, name, preset, is_demo, status, service_requirements, resources, sla_target, cpu_limit, memory_limit, gpu_limit, storage_limit, gpu_type, spec, version, created_at, updated_at";

    /// <inheritdoc />
    public async Task<TenantRecord?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null, $"SELECT {Columns} FROM tenants WHERE tenant_id = @id", ("@id", tenantId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    /// <inheritdoc />
    public async Task<TenantPage> ListAsync(int offset, int limit, string? search, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var term = string.IsNullOrWhiteSpace(search) ? null : search.Trim().ToLowerInvariant();
        // Without a term there is neither a condition nor its parameters: PostgreSQL cannot type a parameter that is always null.
        var where = term is null ? "" : " WHERE lower(tenant_id) LIKE @like ESCAPE '\\' OR lower(name) LIKE @like ESCAPE '\\' OR lower(preset) = @term OR lower(status) = @term";
        (string, object?)[] filter = term is null ? [] : [("@like", "%" + term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%"), ("@term", term)];
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // One snapshot for the page and the counts, so they agree with each other.
        await using var transaction = await database.Dialect.BeginReadAsync(connection, cancellationToken).ConfigureAwait(false);
        var items = new List<TenantRecord>();
        await using (var page = connection.Command(
            transaction,
            $"SELECT {Columns} FROM tenants{where} ORDER BY id LIMIT @limit OFFSET @offset",
            [("@limit", limit), ("@offset", offset), .. filter]))
        await using (var reader = await page.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                items.Add(Read(reader));
            }
        }

        TenantPage result;
        await using (var counts = connection.Command(
            transaction,
            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN is_demo THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN status = @running THEN 1 ELSE 0 END), 0) FROM tenants" + where,
            [("@running", WireName.Of(TenantStatus.Running)), .. filter]))
        await using (var totals = await counts.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await totals.ReadAsync(cancellationToken).ConfigureAwait(false);
            result = new TenantPage(items, Int(totals, 0), Int(totals, 1), Int(totals, 2));
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc />
    public Task<TenantRecord> CreateAsync(TenantRecord tenant, CancellationToken cancellationToken) => CreateAsync(tenant, null, cancellationToken);

    /// <inheritdoc />
    public Task<TenantRecord> UpdateAsync(TenantRecord tenant, CancellationToken cancellationToken) => UpdateAsync(tenant, null, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string tenantId, CancellationToken cancellationToken) => DeleteAsync(tenantId, null, cancellationToken);

    /// <inheritdoc />
    public async Task<TenantRecord> CreateAsync(TenantRecord tenant, AuditEntry? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        TenantIds.Require(tenant.TenantId);
        var now = database.Now();
        var created = tenant with { CreatedAt = now, UpdatedAt = now, Version = 1 };
        var json = database.Dialect;
        try
        {
            return await database.InTransactionAsync(async (connection, transaction) =>
            {
                await using var command = connection.Command(
                    transaction,
                    $"INSERT INTO tenants ({Columns}) VALUES (@id, @name, @preset, @demo, @status, {json.Json("@requirements")}, {json.Json("@resources")}, {json.Json("@sla")}, " +
                    "@cpu, @memory, @gpu, @storage, @gpuType, @spec, @version, @created, @updated)",
                    Parameters(created));
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                await AuditAsync(connection, transaction, audit, cancellationToken).ConfigureAwait(false);
                return created;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException e) when (database.Dialect.IsUniqueViolation(e))
        {
            throw new DuplicateTenantException(tenant.TenantId, e);
        }
    }

    /// <inheritdoc />
    public async Task<TenantRecord> UpdateAsync(TenantRecord tenant, AuditEntry? audit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var updated = tenant with { UpdatedAt = database.Now(), Version = tenant.Version + 1 };
        var json = database.Dialect;
        var stored = await database.InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = connection.Command(
                transaction,
                $"UPDATE tenants SET name = @name, preset = @preset, is_demo = @demo, status = @status, service_requirements = {json.Json("@requirements")}, " +
                $"resources = {json.Json("@resources")}, sla_target = {json.Json("@sla")}, cpu_limit = @cpu, memory_limit = @memory, gpu_limit = @gpu, " +
                "storage_limit = @storage, gpu_type = @gpuType, spec = @spec, version = @version, updated_at = @updated " +
                "WHERE tenant_id = @id AND version = @expected RETURNING created_at",
                [.. Parameters(updated), ("@expected", tenant.Version)]);
            DateTimeOffset? created = null;
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    created = reader.Time("created_at");
                }
            }

            // Nothing changed: no entry either (the transaction commits empty).
            if (created is not null)
            {
                await AuditAsync(connection, transaction, audit, cancellationToken).ConfigureAwait(false);
            }

            return created;
        }, cancellationToken).ConfigureAwait(false);

        // The creation time stays the stored one, whatever the caller's copy says.
        if (stored is { } createdAt)
        {
            return updated with { CreatedAt = createdAt };
        }

        throw await GetAsync(tenant.TenantId, cancellationToken).ConfigureAwait(false) is null
            ? new RecordNotFoundException("tenant", tenant.TenantId)
            : new ConcurrencyException("tenant", tenant.TenantId, tenant.Version);
    }

    /// <inheritdoc />
    public Task<bool> SetStatusAsync(string tenantId, TenantStatus status, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var command = connection.Command(
                null,
                "UPDATE tenants SET status = @status, version = version + 1, updated_at = @updated WHERE tenant_id = @id",
                ("@status", WireName.Of(status)),
                ("@updated", database.Dialect.Time(database.Now())),
                ("@id", tenantId));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<bool> DeleteAsync(string tenantId, AuditEntry? audit, CancellationToken cancellationToken) =>
        database.InTransactionAsync(async (connection, transaction) =>
        {
            await using var command = connection.Command(transaction, "DELETE FROM tenants WHERE tenant_id = @id", ("@id", tenantId));
            if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return false;
            }

            await AuditAsync(connection, transaction, audit, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private async Task AuditAsync(DbConnection connection, DbTransaction transaction, AuditEntry? audit, CancellationToken cancellationToken)
    {
        if (audit is not null)
        {
            await SqlAuditLog.InsertAsync(database, connection, transaction, audit, cancellationToken).ConfigureAwait(false);
        }
    }

    private (string, object?)[] Parameters(TenantRecord t) =>
    [
        ("@id", t.TenantId), ("@name", t.Name), ("@preset", t.Preset), ("@demo", t.IsDemo), ("@status", WireName.Of(t.Status)),
        ("@requirements", t.ServiceRequirementsJson), ("@resources", t.ResourcesJson), ("@sla", t.SlaTargetJson),
        ("@cpu", t.CpuLimit), ("@memory", t.MemoryLimit), ("@gpu", t.GpuLimit), ("@storage", t.StorageLimit), ("@gpuType", t.GpuType),
        ("@spec", t.Spec), ("@version", t.Version), ("@created", database.Dialect.Time(t.CreatedAt)), ("@updated", database.Dialect.Time(t.UpdatedAt)),
    ];

    private static TenantRecord Read(DbDataReader r) => new()
    {
        TenantId = r.GetString(r.GetOrdinal("tenant_id")),
        Name = r.GetString(r.GetOrdinal("name")),
        Preset = r.GetString(r.GetOrdinal("preset")),
        IsDemo = r.GetBoolean(r.GetOrdinal("is_demo")),
        Status = WireName.Parse<TenantStatus>(r.GetString(r.GetOrdinal("status"))),
        ServiceRequirementsJson = r.GetString(r.GetOrdinal("service_requirements")),
        ResourcesJson = r.GetString(r.GetOrdinal("resources")),
        SlaTargetJson = r.GetString(r.GetOrdinal("sla_target")),
        CpuLimit = r.NullableString("cpu_limit"),
        MemoryLimit = r.NullableString("memory_limit"),
        GpuLimit = r.IsDBNull(r.GetOrdinal("gpu_limit")) ? null : Convert.ToInt32(r.GetValue(r.GetOrdinal("gpu_limit")), CultureInfo.InvariantCulture),
        StorageLimit = r.NullableString("storage_limit"),
        GpuType = r.NullableString("gpu_type"),
        Spec = r.NullableString("spec"),
        Version = Convert.ToInt64(r.GetValue(r.GetOrdinal("version")), CultureInfo.InvariantCulture),
        CreatedAt = r.Time("created_at"),
        UpdatedAt = r.Time("updated_at"),
    };

    private static int Int(DbDataReader reader, int ordinal) => Convert.ToInt32(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
}
