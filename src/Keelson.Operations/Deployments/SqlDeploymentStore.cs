using System.Data.Common;
using System.Globalization;
using Keelson.Operations.Storage;

namespace Keelson.Operations.Deployments;

/// <summary>Deployments, steps and leases in SQLite or PostgreSQL with shared SQL.</summary>
public sealed class SqlDeploymentStore(Database database) : IDeploymentStore
{
    private const string Columns = "id, tenant_id, revision, spec, rollback_of, action, state, error, lease_owner, lease_until, created_at, updated_at";
    private const int RevisionAttempts = 5;

    private SqlDialect Dialect => database.Dialect;

    /// <inheritdoc />
    public Task<DeploymentRecord> CreateAsync(string tenantId, string spec, string? rollbackOf, CancellationToken cancellationToken) =>
        CreateAsync(tenantId, spec, rollbackOf, DeploymentAction.Deploy, cancellationToken);

    /// <inheritdoc />
    public async Task<DeploymentRecord> CreateAsync(string tenantId, string spec, string? rollbackOf, DeploymentAction action, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await database.InTransactionAsync((connection, transaction) => InsertNextRevisionAsync(connection, transaction, tenantId, spec, rollbackOf, action, cancellationToken), cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (DbException e) when (Dialect.IsUniqueViolation(e) && attempt < RevisionAttempts)
            {
                // Another replica took the same revision number between our read and insert; the next try sees it.
            }
        }
    }

    /// <inheritdoc />
    public async Task<DeploymentRecord?> GetAsync(string deploymentId, CancellationToken cancellationToken)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM deployments WHERE id = @id", cancellationToken, ("@id", deploymentId)).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeploymentRecord>> ListForTenantAsync(string tenantId, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM deployments WHERE tenant_id = @tenant ORDER BY revision DESC", cancellationToken, ("@tenant", tenantId));

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<DeploymentState, long>> CountByStateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(null, "SELECT state, COUNT(*) FROM deployments GROUP BY state");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<DeploymentState, long>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[WireName.Parse<DeploymentState>(reader.GetString(0))] = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
        }

        return counts;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<DeploymentRecord>> ListUnfinishedAsync(CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {Columns} FROM deployments WHERE state IN (@pending, @running, @waiting) ORDER BY created_at, id",
            cancellationToken,
            ("@pending", WireName.Of(DeploymentState.Pending)),
            ("@running", WireName.Of(DeploymentState.Running)),
            ("@waiting", WireName.Of(DeploymentState.WaitingForCapacity)));

    /// <inheritdoc />
    public async Task<DeploymentRecord> UpdateStateAsync(string deploymentId, DeploymentState state, string? errorMessage, CancellationToken cancellationToken)
    {
        var updated = await database.WriteAsync(
            connection => ReadAllAsync(connection, $"UPDATE deployments SET state = @state, error = @error, updated_at = @now WHERE id = @id RETURNING {Columns}",
                cancellationToken,
                ("@state", WireName.Of(state)),
                ("@error", errorMessage),
                ("@now", Dialect.Time(database.Now())),
                ("@id", deploymentId)),
            cancellationToken).ConfigureAwait(false);
        return updated.Count == 1 ? updated[0] : throw new RecordNotFoundException("deployment", deploymentId);
    }

    /// <inheritdoc />
    public Task UpsertStepAsync(DeploymentStep deploymentStep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deploymentStep);
        return database.WriteAsync(async connection =>
        {
            await using var command = connection.Command(
                null,
                "INSERT INTO deployment_steps (deployment_id, step_index, name, state, attempts, started_at, finished_at, message) " +
                "VALUES (@deployment, @index, @name, @state, @attempts, @started, @finished, @message) " +
                "ON CONFLICT (deployment_id, step_index) DO UPDATE SET name = excluded.name, state = excluded.state, attempts = excluded.attempts, " +
                "started_at = excluded.started_at, finished_at = excluded.finished_at, message = excluded.message",
                ("@deployment", deploymentStep.DeploymentId),
                ("@index", deploymentStep.Index),
                ("@name", WireName.Of(deploymentStep.Name)),
                ("@state", WireName.Of(deploymentStep.State)),
                ("@attempts", deploymentStep.Attempts),
                ("@started", deploymentStep.StartedAt is { } s ? Dialect.Time(s) : null),
                ("@finished", deploymentStep.FinishedAt is { } f ? Dialect.Time(f) : null),
                ("@message", deploymentStep.Message));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeploymentStep>> ListStepsAsync(string deploymentId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(
            null,
            "SELECT deployment_id, step_index, name, state, attempts, started_at, finished_at, message FROM deployment_steps WHERE deployment_id = @id ORDER BY step_index",
            ("@id", deploymentId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var steps = new List<DeploymentStep>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            steps.Add(new DeploymentStep
            {
                DeploymentId = reader.GetString(0),
                Index = Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture),
                Name = WireName.Parse<DeploymentStepName>(reader.GetString(2)),
                State = WireName.Parse<DeploymentStepState>(reader.GetString(3)),
                Attempts = Convert.ToInt32(reader.GetValue(4), CultureInfo.InvariantCulture),
                StartedAt = reader.NullableTime("started_at"),
                FinishedAt = reader.NullableTime("finished_at"),
                Message = reader.NullableString("message"),
            });
        }

        return steps;
    }

    /// <inheritdoc />
    public Task<bool> TryAcquireLeaseAsync(string tenantId, string deploymentId, string owner, DateTimeOffset until, CancellationToken cancellationToken) =>
        database.InTransactionAsync(
            async (connection, transaction) =>
            {
                // One statement decides: insert a lease, or take over the existing row only if it expired or is ours.
                // PostgreSQL locks the conflicting row and re-checks the condition on its latest version (as SELECT … FOR UPDATE would);
                // SQLite runs this inside BEGIN IMMEDIATE, so no other writer is in between.
                await using var upsert = connection.Command(
                    transaction,
                    "INSERT INTO deployment_leases (tenant_id, deployment_id, owner, lease_until) VALUES (@tenant, @deployment, @owner, @until) " +
                    "ON CONFLICT (tenant_id) DO UPDATE SET deployment_id = excluded.deployment_id, owner = excluded.owner, lease_until = excluded.lease_until " +
                    "WHERE deployment_leases.lease_until <= @now OR deployment_leases.owner = excluded.owner RETURNING tenant_id",
                    ("@tenant", tenantId),
                    ("@deployment", deploymentId),
                    ("@owner", owner),
                    ("@until", Dialect.Time(until)),
                    ("@now", Dialect.Time(database.Now())));
                if (await upsert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
                {
                    return false;
                }

                // A finished deployment keeps the owner that ran it: a replica that leases it late only finds it done.
                await using var mark = connection.Command(
                    transaction,
                    "UPDATE deployments SET lease_owner = @owner, lease_until = @until, updated_at = @now " +
                    "WHERE id = @deployment AND tenant_id = @tenant AND state IN (@pending, @running, @waiting)",
                    ("@owner", owner),
                    ("@until", Dialect.Time(until)),
                    ("@now", Dialect.Time(database.Now())),
                    ("@deployment", deploymentId),
                    ("@tenant", tenantId),
                    ("@pending", WireName.Of(DeploymentState.Pending)),
                    ("@running", WireName.Of(DeploymentState.Running)),
                    ("@waiting", WireName.Of(DeploymentState.WaitingForCapacity)));
                if (await mark.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    return true;
                }

                await using var exists = connection.Command(
                    transaction, "SELECT 1 FROM deployments WHERE id = @deployment AND tenant_id = @tenant", ("@deployment", deploymentId), ("@tenant", tenantId));
                return await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null
                    ? true
                    : throw new RecordNotFoundException("deployment", $"{deploymentId}' of tenant '{tenantId}");
            },
            cancellationToken);

    /// <inheritdoc />
    public Task<bool> ReleaseLeaseAsync(string tenantId, string owner, CancellationToken cancellationToken) =>
        database.WriteAsync(async connection =>
        {
            await using var command = connection.Command(null, "DELETE FROM deployment_leases WHERE tenant_id = @tenant AND owner = @owner", ("@tenant", tenantId), ("@owner", owner));
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        }, cancellationToken);

    private async Task<DeploymentRecord> InsertNextRevisionAsync(DbConnection connection, DbTransaction transaction, string tenantId, string spec, string? rollbackOf, DeploymentAction action, CancellationToken cancellationToken)
    {
        await using (var exists = connection.Command(transaction, "SELECT 1 FROM tenants WHERE tenant_id = @tenant", ("@tenant", tenantId)))
        {
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                throw new RecordNotFoundException("tenant", tenantId);
            }
        }

        var now = Dialect.Time(database.Now());
        await using var insert = connection.Command(
            transaction,
            "INSERT INTO deployments (id, tenant_id, revision, spec, rollback_of, action, state, created_at, updated_at) " +
            "SELECT @id, @tenant, COALESCE(MAX(revision), 0) + 1, @spec, @rollback, @action, @state, @now, @now FROM deployments WHERE tenant_id = @tenant " +
            $"RETURNING {Columns}",
            ("@id", Guid.CreateVersion7(database.Now()).ToString()),
            ("@tenant", tenantId),
            ("@action", WireName.Of(action)),
            ("@spec", spec),
            ("@rollback", rollbackOf),
            ("@state", WireName.Of(DeploymentState.Pending)),
            ("@now", now));
        await using var reader = await insert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return Read(reader);
    }

    private async Task<IReadOnlyList<DeploymentRecord>> QueryAsync(string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadAllAsync(connection, sql, cancellationToken, parameters).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<DeploymentRecord>> ReadAllAsync(DbConnection connection, string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = connection.Command(null, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<DeploymentRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(Read(reader));
        }

        return found;
    }

    private static DeploymentRecord Read(DbDataReader r) => new()
    {
        Id = r.GetString(r.GetOrdinal("id")),
        TenantId = r.GetString(r.GetOrdinal("tenant_id")),
        Revision = Convert.ToInt32(r.GetValue(r.GetOrdinal("revision")), CultureInfo.InvariantCulture),
        Spec = r.GetString(r.GetOrdinal("spec")),
        RollbackOf = r.NullableString("rollback_of"),
        Action = WireName.Parse<DeploymentAction>(r.GetString(r.GetOrdinal("action"))),
        State = WireName.Parse<DeploymentState>(r.GetString(r.GetOrdinal("state"))),
        Error = r.NullableString("error"),
        LeaseOwner = r.NullableString("lease_owner"),
        LeaseUntil = r.NullableTime("lease_until"),
        CreatedAt = r.Time("created_at"),
        UpdatedAt = r.Time("updated_at"),
    };
}
