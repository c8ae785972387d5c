using System.Data.Common;
using System.Globalization;
using Keelson.Operations.Storage;
using Keelson.Spec.Model;

namespace Keelson.Operations.Jobs;

/// <summary>The admission pass: one transaction per tenant that reads its queues and jobs, decides, and writes the decisions.</summary>
public sealed partial class SqlJobStore
{
    /// <summary>
    /// Runs an admission pass for every tenant with pending jobs. A tenant whose admitter row another process holds
    /// (PostgreSQL <c>FOR UPDATE SKIP LOCKED</c>) is skipped: that process is deciding for it. Decisions are committed
    /// before any Kubernetes Job exists, so a crash after the commit leaves admitted jobs the watcher applies (by
    /// deterministic name), and a crash before it leaves nothing admitted: each admission happens exactly once.
    /// </summary>
    public async Task<IReadOnlyList<(string TenantId, AdmissionResult Result)>> AdmitAsync(CancellationToken cancellationToken)
    {
        var tenants = new List<string>();
        await using (var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var select = connection.Command(null, "SELECT DISTINCT tenant_id FROM jobs WHERE state = 'pending' ORDER BY tenant_id"))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                tenants.Add(reader.GetString(0));
            }
        }

        var passes = new List<(string, AdmissionResult)>();
        foreach (var tenant in tenants)
        {
            if (await AdmitAsync(tenant, cancellationToken).ConfigureAwait(false) is { } result)
            {
                passes.Add((tenant, result));
            }
        }

        return passes;
    }

    /// <summary>One tenant's admission pass; null when another admitter holds the tenant right now.</summary>
    public async Task<AdmissionResult?> AdmitAsync(string tenantId, CancellationToken cancellationToken)
    {
        var now = Dialect.Time(database.Now());
        return await database.InTransactionAsync(async (connection, transaction) =>
        {
            long sequence;
            await using (var lockRow = connection.Command(transaction, $"SELECT admission_seq FROM job_admitters WHERE tenant_id = @tenant{Dialect.ForUpdateSkipLocked}", ("@tenant", tenantId)))
            {
                var value = await lockRow.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                if (value is null or DBNull)
                {
                    return null;
                }

                sequence = Convert.ToInt64(value, CultureInfo.InvariantCulture);
            }

            var queues = await ReadQueuesAsync(connection, transaction, tenantId, cancellationToken).ConfigureAwait(false);

            // The same cohort locks the stack queue admitter takes (UnderAdmissionLockAsync): its pass counts this
            // tenant's running API Jobs of a same-named queue, so the two never decide at once.
            await LockAdmissionAsync(connection, transaction, tenantId, queues, cancellationToken).ConfigureAwait(false);
            var (pending, admitted, rows) = await ReadLiveJobsAsync(connection, transaction, tenantId, cancellationToken).ConfigureAwait(false);
            var result = new AdmissionEngine(queues).Decide(pending, admitted);

            var preempted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var decision in result.Admitted)
            {
                foreach (var victim in decision.Preempted)
                {
                    preempted.Add(victim);
                    var message = $"preempted by job {decision.Workload.Id}";
                    await ExecuteAsync(connection, transaction,
                        "UPDATE jobs SET state = 'pending', reason = @reason, flavor = NULL, updated_at = @now WHERE id = @id AND state IN ('admitted', 'running')",
                        cancellationToken, ("@reason", message), ("@now", now), ("@id", rows[victim].Id)).ConfigureAwait(false);
                    await EndAttemptAsync(connection, transaction, rows[victim].Id, null, "preempted", message, now, cancellationToken).ConfigureAwait(false);
                }

                var row = rows[decision.Workload.Id];
                var attempt = row.Attempt + 1;
                rows[decision.Workload.Id] = row with { Attempt = attempt };
                await ExecuteAsync(connection, transaction,
                    "UPDATE jobs SET state = 'admitted', flavor = @flavor, attempt = @attempt, admission_seq = @seq, reason = @reason, updated_at = @now WHERE id = @id AND state = 'pending'",
                    cancellationToken, ("@flavor", decision.Flavor), ("@attempt", attempt), ("@seq", sequence++),
                    ("@reason", decision.Borrowing ? "admitted with quota borrowed from the cohort" : null), ("@now", now), ("@id", row.Id)).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction,
                    "INSERT INTO job_attempts (job_id, attempt, flavor, kubernetes_name, admitted_at) VALUES (@id, @attempt, @flavor, @name, @now)",
                    cancellationToken, ("@id", row.Id), ("@attempt", attempt), ("@flavor", decision.Flavor), ("@name", JobNames.Of(row.Name, row.Id, attempt)), ("@now", now)).ConfigureAwait(false);
            }

            foreach (var (id, reason) in result.Pending)
            {
                if (!preempted.Contains(id) && rows.TryGetValue(id, out var row) && row.Pending && row.Reason != reason)
                {
                    await ExecuteAsync(connection, transaction, "UPDATE jobs SET reason = @reason WHERE id = @id AND state = 'pending'",
                        cancellationToken, ("@reason", reason), ("@id", row.Id)).ConfigureAwait(false);
                }
            }

            await ExecuteAsync(connection, transaction, "UPDATE job_admitters SET admission_seq = @seq WHERE tenant_id = @tenant",
                cancellationToken, ("@seq", sequence), ("@tenant", tenantId)).ConfigureAwait(false);
            return result;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(List<Workload> Pending, List<AdmittedWorkload> Admitted, Dictionary<string, LiveRow> Rows)> ReadLiveJobsAsync(
        DbConnection connection, DbTransaction transaction, string tenantId, CancellationToken cancellationToken)
    {
        var pending = new List<Workload>();
        var admitted = new List<AdmittedWorkload>();
        var rows = new Dictionary<string, LiveRow>(StringComparer.Ordinal);
        await using var select = connection.Command(transaction,
            "SELECT id, name, queue, priority, milli_cpu, memory_bytes, gpus, gpu_type, state, flavor, admission_seq, reason, attempt FROM jobs "
            + "WHERE tenant_id = @tenant AND state IN ('pending', 'admitted', 'running') ORDER BY id",
            ("@tenant", tenantId));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = reader.GetInt64(0);
            var key = id.ToString(CultureInfo.InvariantCulture);
            var workload = new Workload(
                key,
                reader.GetString(2),
                Convert.ToInt32(reader.GetValue(3), CultureInfo.InvariantCulture),
                id,
                new Quantities(reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6)),
                reader.IsDBNull(7) ? null : Enum.Parse<GpuType>(reader.GetString(7)));
            var state = reader.GetString(8);
            if (state == "pending")
            {
                pending.Add(workload);
            }
            else
            {
                admitted.Add(new AdmittedWorkload(workload, reader.GetString(9), reader.IsDBNull(10) ? 0 : reader.GetInt64(10)));
            }

            rows[key] = new LiveRow(id, reader.GetString(1), state == "pending", reader.IsDBNull(11) ? null : reader.GetString(11), Convert.ToInt32(reader.GetValue(12), CultureInfo.InvariantCulture));
        }

        return (pending, admitted, rows);
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string, object?)[] parameters)
    {
        await using var command = connection.Command(transaction, sql, parameters);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed record LiveRow(long Id, string Name, bool Pending, string? Reason, int Attempt);
}
