using System.Buffers.Binary;
using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Keelson.Operations.Storage;

namespace Keelson.Operations.Jobs;

/// <summary>The admission lock: one PostgreSQL advisory transaction lock per cohort (or queue outside a cohort) of a tenant.</summary>
public sealed partial class SqlJobStore
{
    /// <summary>
    /// Runs <paramref name="pass"/> (an admission pass over <paramref name="queues"/> whose state is not in this
    /// database, such as <see cref="QueuedJobAdmitter"/>'s on the cluster) while this process holds the admission locks
    /// of those queues: on PostgreSQL a transaction takes <c>pg_advisory_xact_lock</c> for each of
    /// <see cref="AdmissionScopes"/> in key order (so two passes over overlapping cohorts cannot deadlock) and commits,
    /// releasing them, after the pass. Another replica's pass over the same cohort waits and then reads what this one
    /// admitted, so neither admits a Job twice nor more than the quota. On SQLite the pass just runs: a SQLite database
    /// belongs to one server process, whose passes run one after another.
    /// </summary>
    public async Task<T> UnderAdmissionLockAsync<T>(string tenantId, IReadOnlyList<ClusterQueueSpec> queues, Func<CancellationToken, Task<T>> pass, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentNullException.ThrowIfNull(queues);
        ArgumentNullException.ThrowIfNull(pass);
        if (database.Provider != DatabaseProvider.Postgres)
        {
            return await pass(cancellationToken).ConfigureAwait(false);
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await LockAdmissionAsync(connection, transaction, tenantId, queues, cancellationToken).ConfigureAwait(false);
        var result = await pass(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>What an admission pass over <paramref name="queues"/> locks: each cohort, and each queue outside a cohort (quota is shared no wider).</summary>
    public static IReadOnlyList<string> AdmissionScopes(IEnumerable<ClusterQueueSpec> queues)
    {
        ArgumentNullException.ThrowIfNull(queues);
        return [.. queues.Select(q => q.Cohort is { Length: > 0 } cohort ? "cohort/" + cohort : "queue/" + q.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>The advisory lock key of a tenant's scope: the first 8 bytes of a SHA-256, so every replica computes the same one.</summary>
    public static long AdmissionLockKey(string tenantId, string scope)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentNullException.ThrowIfNull(scope);
        return BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes($"keelson-admission\n{tenantId}\n{scope}")));
    }

    private async Task LockAdmissionAsync(DbConnection connection, DbTransaction transaction, string tenantId, IEnumerable<ClusterQueueSpec> queues, CancellationToken cancellationToken)
    {
        if (database.Provider != DatabaseProvider.Postgres)
        {
            return;
        }

        foreach (var key in AdmissionScopes(queues).Select(s => AdmissionLockKey(tenantId, s)).Distinct().Order())
        {
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(@key)", cancellationToken, ("@key", key)).ConfigureAwait(false);
        }
    }
}
