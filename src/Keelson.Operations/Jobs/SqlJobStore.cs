using System.Data.Common;
using System.Globalization;
using Keelson.Operations.Storage;
using Keelson.Spec.Model;

namespace Keelson.Operations.Jobs;

/// <summary>
/// Queues, jobs and their attempts in SQLite or PostgreSQL (tables <c>job_queues</c>, <c>jobs</c>, <c>job_attempts</c>,
/// <c>job_admitters</c>). Admission passes are in <c>SqlJobStore.Admission.cs</c>.
/// </summary>
public sealed partial class SqlJobStore(Database database)
{
    private const string Columns = "id, tenant_id, spec, state, reason, flavor, attempt, created_at, updated_at, finished_at";

    private SqlDialect Dialect => database.Dialect;

    /// <summary>Creates or replaces a tenant's queue; true when it was created.</summary>
    public async Task<bool> PutQueueAsync(string tenantId, ClusterQueueSpec queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        var now = Dialect.Time(database.Now());
        return await database.InTransactionAsync(async (connection, transaction) =>
        {
            await using var update = connection.Command(transaction,
                $"UPDATE job_queues SET definition = {Dialect.Json("@definition")}, updated_at = @now WHERE tenant_id = @tenant AND name = @name",
                ("@definition", JobJson.Write(queue)), ("@now", now), ("@tenant", tenantId), ("@name", queue.Name));
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                return false;
            }

            await using var insert = connection.Command(transaction,
                $"INSERT INTO job_queues (tenant_id, name, definition, created_at, updated_at) VALUES (@tenant, @name, {Dialect.Json("@definition")}, @now, @now)",
                ("@definition", JobJson.Write(queue)), ("@now", now), ("@tenant", tenantId), ("@name", queue.Name));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A tenant's queues in name order.</summary>
    public async Task<IReadOnlyList<ClusterQueueSpec>> ListQueuesAsync(string tenantId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return await ReadQueuesAsync(connection, null, tenantId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes a queue; false when it did not exist. Its pending jobs stay pending (unknown queue) until it is created again.</summary>
    public async Task<bool> DeleteQueueAsync(string tenantId, string name, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = connection.Command(null, "DELETE FROM job_queues WHERE tenant_id = @tenant AND name = @name", ("@tenant", tenantId), ("@name", name));
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Queues a job as pending and returns it.</summary>
    public async Task<JobRecord> SubmitAsync(string tenantId, JobSpec spec, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var now = database.Now();
        var id = await database.InTransactionAsync(async (connection, transaction) =>
        {
            await using (var admitter = connection.Command(transaction, "INSERT INTO job_admitters (tenant_id, admission_seq) VALUES (@tenant, 0) ON CONFLICT (tenant_id) DO NOTHING", ("@tenant", tenantId)))
            {
                await admitter.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using var insert = connection.Command(transaction,
                "INSERT INTO jobs (tenant_id, name, queue, priority, milli_cpu, memory_bytes, gpus, gpu_type, spec, state, attempt, created_at, updated_at) "
                + $"VALUES (@tenant, @name, @queue, @priority, @cpu, @memory, @gpus, @gpu, {Dialect.Json("@spec")}, 'pending', 0, @now, @now) RETURNING id",
                ("@tenant", tenantId), ("@name", spec.Name), ("@queue", spec.Queue), ("@priority", spec.Priority), ("@cpu", spec.Request.MilliCpu),
                ("@memory", spec.Request.MemoryBytes), ("@gpus", spec.Request.Gpus), ("@gpu", spec.Gpu?.ToString()), ("@spec", JobJson.Write(spec)), ("@now", Dialect.Time(now)));
            return Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }, cancellationToken).ConfigureAwait(false);
        return (await GetAsync(tenantId, id, cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>A tenant's job with its attempts; null when there is none with that id.</summary>
    public async Task<JobRecord?> GetAsync(string tenantId, long id, CancellationToken cancellationToken)
    {
        var found = await QueryAsync("tenant_id = @tenant AND id = @id", 1, false, [("@tenant", tenantId), ("@id", id)], cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>A tenant's jobs, newest first, optionally of one state and one queue.</summary>
    public Task<IReadOnlyList<JobRecord>> ListAsync(string tenantId, JobState? state, string? queue, int limit, CancellationToken cancellationToken) =>
        QueryAsync(
            "tenant_id = @tenant" + (state is null ? "" : " AND state = @state") + (queue is null ? "" : " AND queue = @queue"),
            limit,
            false,
            [("@tenant", tenantId), ("@state", state is { } s ? WireName.Of(s) : ""), ("@queue", queue ?? "")],
            cancellationToken);

    /// <summary>
    /// Cancels a job that has not finished: it stops holding quota at once, and the watcher deletes its Kubernetes Job.
    /// Returns the job as it is now (unchanged when it had already finished); null when there is none.
    /// </summary>
    public async Task<JobRecord?> CancelAsync(string tenantId, long id, CancellationToken cancellationToken)
    {
        var now = Dialect.Time(database.Now());
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            await using var update = connection.Command(transaction,
                "UPDATE jobs SET state = 'cancelled', reason = 'cancelled on request', finished_at = @now, updated_at = @now WHERE tenant_id = @tenant AND id = @id AND state IN ('pending', 'admitted', 'running')",
                ("@now", now), ("@tenant", tenantId), ("@id", id));
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                await EndAttemptAsync(connection, transaction, id, null, "cancelled", "cancelled on request", now, cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken).ConfigureAwait(false);
        return await GetAsync(tenantId, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Puts a failed or cancelled job back in its queue (it keeps its place in submission order); the job as it is now, or null.</summary>
    public async Task<JobRecord?> RetryAsync(string tenantId, long id, CancellationToken cancellationToken)
    {
        await using (var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var update = connection.Command(null,
            "UPDATE jobs SET state = 'pending', reason = 'retried', flavor = NULL, finished_at = NULL, updated_at = @now WHERE tenant_id = @tenant AND id = @id AND state IN ('failed', 'cancelled')",
            ("@now", Dialect.Time(database.Now())), ("@tenant", tenantId), ("@id", id)))
        {
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return await GetAsync(tenantId, id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Admitted and running jobs of every tenant, oldest first: what the watcher drives to completion.</summary>
    public Task<IReadOnlyList<JobRecord>> ActiveAsync(int limit, CancellationToken cancellationToken) =>
        QueryAsync("state IN ('admitted', 'running')", limit, true, [], cancellationToken);

    /// <summary>Kubernetes Jobs of preempted or cancelled attempts not yet deleted from the cluster.</summary>
    public async Task<IReadOnlyList<JobCleanup>> CleanupsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null,
            "SELECT a.job_id, j.tenant_id, a.attempt, a.kubernetes_name FROM job_attempts a JOIN jobs j ON j.id = a.job_id "
            + "WHERE a.deleted = 0 AND a.outcome IN ('preempted', 'cancelled') ORDER BY a.job_id, a.attempt LIMIT @limit", ("@limit", limit));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<JobCleanup>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new JobCleanup(reader.GetInt64(0), reader.GetString(1), Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture), reader.GetString(3)));
        }

        return list;
    }

    /// <summary>Records that a cleanup's Kubernetes Job is gone.</summary>
    public async Task MarkDeletedAsync(JobCleanup cleanup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cleanup);
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var update = connection.Command(null, "UPDATE job_attempts SET deleted = 1 WHERE job_id = @id AND attempt = @attempt", ("@id", cleanup.JobId), ("@attempt", cleanup.Attempt));
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records that attempt <paramref name="attempt"/>'s Kubernetes Job exists; false when the job moved on (cancelled, preempted).</summary>
    public async Task<bool> MarkRunningAsync(long id, int attempt, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var update = connection.Command(null,
            "UPDATE jobs SET state = 'running', updated_at = @now WHERE id = @id AND attempt = @attempt AND state = 'admitted'",
            ("@now", Dialect.Time(database.Now())), ("@id", id), ("@attempt", attempt));
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Records how attempt <paramref name="attempt"/> ended, releasing its quota; false when the job had moved on.</summary>
    public async Task<bool> FinishAsync(long id, int attempt, bool succeeded, string message, CancellationToken cancellationToken)
    {
        var now = Dialect.Time(database.Now());
        return await database.InTransactionAsync(async (connection, transaction) =>
        {
            await using var update = connection.Command(transaction,
                "UPDATE jobs SET state = @state, reason = @message, finished_at = @now, updated_at = @now WHERE id = @id AND attempt = @attempt AND state IN ('admitted', 'running')",
                ("@state", succeeded ? "succeeded" : "failed"), ("@message", message), ("@now", now), ("@id", id), ("@attempt", attempt));
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                return false;
            }

            await EndAttemptAsync(connection, transaction, id, attempt, succeeded ? "succeeded" : "failed", message, now, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every tenant's queue names, so the gauges show zero for a queue with no jobs.</summary>
    public async Task<IReadOnlyList<(string TenantId, string Queue)>> AllQueuesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null, "SELECT tenant_id, name FROM job_queues ORDER BY tenant_id, name");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add((reader.GetString(0), reader.GetString(1)));
        }

        return list;
    }

    /// <summary>Pending, admitted and running jobs per tenant and queue, for the queue gauges.</summary>
    public async Task<IReadOnlyList<(string TenantId, string Queue, JobState State, long Count)>> CountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var select = connection.Command(null,
            "SELECT tenant_id, queue, state, COUNT(*) FROM jobs WHERE state IN ('pending', 'admitted', 'running') GROUP BY tenant_id, queue, state ORDER BY tenant_id, queue, state");
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<(string, string, JobState, long)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add((reader.GetString(0), reader.GetString(1), WireName.Parse<JobState>(reader.GetString(2)), Convert.ToInt64(reader.GetValue(3), CultureInfo.InvariantCulture)));
        }

        return list;
    }

    private static async Task EndAttemptAsync(DbConnection connection, DbTransaction transaction, long id, int? attempt, string outcome, string message, object now, CancellationToken cancellationToken)
    {
        // Without a number: the job's current attempt, if it was ever admitted and that attempt is still open.
        await using var update = connection.Command(transaction,
            "UPDATE job_attempts SET ended_at = @now, outcome = @outcome, message = @message WHERE job_id = @id AND ended_at IS NULL AND attempt = "
            + (attempt is null ? "(SELECT attempt FROM jobs WHERE id = @id)" : "@attempt"),
            ("@now", now), ("@outcome", outcome), ("@message", message), ("@id", id), ("@attempt", attempt ?? 0));
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<ClusterQueueSpec>> ReadQueuesAsync(DbConnection connection, DbTransaction? transaction, string tenantId, CancellationToken cancellationToken)
    {
        await using var select = connection.Command(transaction, "SELECT definition FROM job_queues WHERE tenant_id = @tenant ORDER BY name", ("@tenant", tenantId));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var queues = new List<ClusterQueueSpec>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            queues.Add(JobJson.ReadQueue(reader.GetString(0)));
        }

        return queues;
    }

    private async Task<IReadOnlyList<JobRecord>> QueryAsync(string where, int limit, bool oldestFirst, (string, object?)[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await Dialect.BeginReadAsync(connection, cancellationToken).ConfigureAwait(false);
        var rows = new List<JobRecord>();
        await using (var select = connection.Command(transaction,
            $"SELECT {Columns} FROM jobs WHERE {where} ORDER BY id {(oldestFirst ? "ASC" : "DESC")} LIMIT @limit", [.. parameters, ("@limit", limit)]))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(new JobRecord(
                    reader.GetInt64(0),
                    reader.GetString(1),
                    JobJson.ReadSpec(reader.GetString(2)),
                    WireName.Parse<JobState>(reader.GetString(3)),
                    reader.NullableString("reason"),
                    reader.NullableString("flavor"),
                    Convert.ToInt32(reader.GetValue(6), CultureInfo.InvariantCulture),
                    reader.Time("created_at"),
                    reader.Time("updated_at"),
                    reader.NullableTime("finished_at"),
                    []));
            }
        }

        if (rows.Count > 0)
        {
            var attempts = rows.ToDictionary(r => r.Id, _ => new List<JobAttempt>());
            await using var select = connection.Command(transaction,
                $"SELECT job_id, attempt, flavor, kubernetes_name, admitted_at, ended_at, outcome, message FROM job_attempts WHERE job_id IN ({string.Join(", ", rows.Select((_, i) => $"@j{i}"))}) ORDER BY job_id, attempt",
                [.. rows.Select((r, i) => ($"@j{i}", (object?)r.Id))]);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                attempts[reader.GetInt64(0)].Add(new JobAttempt(
                    Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture), reader.GetString(2), reader.GetString(3),
                    reader.Time("admitted_at"), reader.NullableTime("ended_at"), reader.NullableString("outcome"), reader.NullableString("message")));
            }

            rows = [.. rows.Select(r => r with { Attempts = attempts[r.Id] })];
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return rows;
    }

}
