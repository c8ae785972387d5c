using System.Data.Common;
using System.Globalization;
using Keelson.Operations.Storage;

namespace Keelson.Operations.Notifications;

/// <summary>The outbox in the operations database (tables <c>notifications</c>, <c>notification_attempts</c>).</summary>
public sealed class SqlNotificationOutbox(Database database) : INotificationOutbox
{
    private const string Columns =
        "id, tenant_id, receiver_kind, receiver_name, receiver, group_key, status, payload, idempotency_key, created_at, next_attempt_at, state, attempts, claimed_by, claimed_until, sent_at, last_error";

    // Due: not finished, its time has come, and nobody holds a live claim on it.
    private const string Due = "state IN ('pending', 'failed') AND next_attempt_at <= @now AND (claimed_until IS NULL OR claimed_until < @now)";

    /// <summary>How long notification log entries are kept (Alertmanager's default <c>--data.retention</c>).</summary>
    public static readonly TimeSpan LogRetention = TimeSpan.FromDays(5);

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, NotificationLogEntry>> NotificationLogAsync(IReadOnlyCollection<string> groupKeys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(groupKeys);
        var log = new Dictionary<string, NotificationLogEntry>(StringComparer.Ordinal);
        if (groupKeys.Count == 0)
        {
            return log;
        }

        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var key in groupKeys.Distinct(StringComparer.Ordinal))
        {
            await using var select = connection.Command(null, "SELECT firing, notified_at FROM notification_log WHERE group_key = @group", ("@group", key));
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                log[key] = new NotificationLogEntry(reader.GetString(0), reader.Time("notified_at"));
            }
        }

        return log;
    }

    /// <inheritdoc />
    public async Task<int> EnqueueAsync(IReadOnlyList<Notification> notifications, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notifications);
        if (notifications.Count == 0)
        {
            return 0;
        }

        var dialect = database.Dialect;
        var now = database.Now();
        return await database.InTransactionAsync(async (connection, transaction) =>
        {
            var written = 0;
            foreach (var n in notifications)
            {
                await using var insert = connection.Command(transaction,
                    "INSERT INTO notifications (id, tenant_id, receiver_kind, receiver_name, receiver, group_key, status, payload, idempotency_key, created_at, next_attempt_at, state, attempts) "
                    + $"VALUES (@id, @tenant, @kind, @name, @receiver, @group, @status, {dialect.Json("@payload")}, @key, @created, @next, 'pending', 0) ON CONFLICT (idempotency_key) DO NOTHING",
                    ("@id", Guid.CreateVersion7(now).ToString("N")), ("@tenant", n.TenantId), ("@kind", NotificationJson.Kind(n.Receiver)), ("@name", n.ReceiverName),
                    ("@receiver", NotificationJson.Receiver(n.Receiver)), ("@group", n.GroupKey), ("@status", n.Status), ("@payload", NotificationJson.Payload(n)),
                    ("@key", n.IdempotencyKey), ("@created", dialect.Time(n.CreatedAt)), ("@next", dialect.Time(now)));
                written += await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

                // The notification log, in the same transaction: decided and logged together, or neither.
                await using var log = connection.Command(transaction,
                    "INSERT INTO notification_log (group_key, firing, notified_at) VALUES (@group, @firing, @at) " +
                    "ON CONFLICT (group_key) DO UPDATE SET firing = excluded.firing, notified_at = excluded.notified_at",
                    ("@group", n.GroupKey), ("@firing", n.FiringKey), ("@at", dialect.Time(n.CreatedAt)));
                await log.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // Alertmanager keeps its log five days; older entries could not stop a repeat any more.
            await using (var prune = connection.Command(transaction, "DELETE FROM notification_log WHERE notified_at < @cutoff", ("@cutoff", dialect.Time(now - LogRetention))))
            {
                await prune.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            return written;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ClaimedNotification>> ClaimDueAsync(string owner, TimeSpan lease, int limit, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(owner);
        var dialect = database.Dialect;
        var now = database.Now();
        var until = now + lease;
        return await database.InTransactionAsync<IReadOnlyList<ClaimedNotification>>(async (connection, transaction) =>
        {
            var candidates = new List<string>();
            await using (var pick = connection.Command(transaction, $"SELECT id FROM notifications WHERE {Due} ORDER BY next_attempt_at, id LIMIT @limit",
                ("@now", dialect.Time(now)), ("@limit", limit)))
            await using (var ids = await pick.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await ids.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    candidates.Add(ids.GetString(0));
                }
            }

            // Each row is claimed with the due conditions checked again: PostgreSQL re-evaluates them on a row another
            // transaction claimed meanwhile (after waiting for it) and then updates nothing; SQLite's write lock already
            // serializes claimers.
            var mine = new List<string>();
            foreach (var id in candidates)
            {
                await using var claim = connection.Command(transaction,
                    $"UPDATE notifications SET claimed_by = @owner, claimed_until = @until WHERE id = @id AND {Due}",
                    ("@owner", owner), ("@until", dialect.Time(until)), ("@now", dialect.Time(now)), ("@id", id));
                if (await claim.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    mine.Add(id);
                }
            }

            if (mine.Count == 0)
            {
                return [];
            }

            await using var select = connection.Command(transaction,
                $"SELECT {Columns} FROM notifications WHERE id IN ({string.Join(", ", mine.Select((_, i) => $"@id{i}"))}) ORDER BY next_attempt_at, id",
                [.. mine.Select((id, i) => ($"@id{i}", (object?)id))]);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var claimed = new List<ClaimedNotification>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var entry = ReadEntry(reader);
                var receiver = NotificationJson.ReadReceiver(reader.GetString(reader.GetOrdinal("receiver")));
                var notification = NotificationJson.ReadNotification(entry.TenantId, entry.GroupKey, receiver, entry.ReceiverName,
                    reader.GetString(reader.GetOrdinal("payload")), entry.CreatedAt, entry.IdempotencyKey);
                claimed.Add(new ClaimedNotification(entry, notification));
            }

            return claimed;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task RecordAttemptAsync(ClaimedNotification claimed, string owner, DeliveryAttempt attempt, OutboxState state, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        ArgumentNullException.ThrowIfNull(attempt);
        var dialect = database.Dialect;
        await database.InTransactionAsync(async (connection, transaction) =>
        {
            var id = claimed.Entry.Id;
            int number;
            await using (var count = connection.Command(transaction, "SELECT COUNT(*) FROM notification_attempts WHERE notification_id = @id", ("@id", id)))
            {
                number = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) + 1;
            }

            await using (var insert = connection.Command(transaction,
                "INSERT INTO notification_attempts (notification_id, attempt, at, duration_ms, outcome, status_code, reply, error, sender) VALUES (@id, @n, @at, @ms, @outcome, @code, @reply, @error, @sender)",
                ("@id", id), ("@n", number), ("@at", dialect.Time(attempt.At)), ("@ms", attempt.Duration.TotalMilliseconds),
                ("@outcome", attempt.Succeeded ? "delivered" : "failed"), ("@code", attempt.StatusCode), ("@reply", attempt.Reply), ("@error", attempt.Error), ("@sender", owner)))
            {
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            // A delivery always wins (it happened); a failure only moves a row this replica still holds.
            var sql = attempt.Succeeded
                ? "UPDATE notifications SET state = 'sent', attempts = @n, sent_at = @at, last_error = NULL, claimed_by = NULL, claimed_until = NULL WHERE id = @id AND state <> 'sent'"
                : "UPDATE notifications SET state = @state, attempts = @n, next_attempt_at = @next, last_error = @error, claimed_by = NULL, claimed_until = NULL WHERE id = @id AND claimed_by = @owner AND state <> 'sent'";
            await using var update = connection.Command(transaction, sql,
                ("@id", id), ("@n", number), ("@at", dialect.Time(attempt.At + attempt.Duration)), ("@state", WireName.Of(state)), ("@next", dialect.Time(nextAttemptAt)),
                ("@error", attempt.Error), ("@owner", owner));
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<(OutboxEntry Entry, IReadOnlyList<AttemptRecord> Attempts)>> ListAsync(string? tenantId, OutboxState? state, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.Dialect.BeginReadAsync(connection, cancellationToken).ConfigureAwait(false);
        var entries = new List<OutboxEntry>();
        // One tenant's rows, or every tenant's (the console's notification centre for an admin) when tenantId is null.
        var where = $"{(tenantId is null ? "1 = 1" : "tenant_id = @tenant")}{(state is null ? "" : " AND state = @state")}";
        (string, object?)[] parameters = [("@tenant", tenantId ?? ""), ("@state", state is { } s ? WireName.Of(s) : ""), ("@limit", limit)];
        await using (var select = connection.Command(transaction, $"SELECT {Columns} FROM notifications WHERE {where} ORDER BY created_at DESC, id DESC LIMIT @limit", parameters))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add(ReadEntry(reader));
            }
        }

        var attempts = entries.ToDictionary(e => e.Id, _ => new List<AttemptRecord>(), StringComparer.Ordinal);
        await using (var select = connection.Command(transaction,
            "SELECT a.notification_id, a.attempt, a.at, a.duration_ms, a.outcome, a.status_code, a.reply, a.error, a.sender FROM notification_attempts a "
            + $"JOIN (SELECT id FROM notifications WHERE {where} ORDER BY created_at DESC, id DESC LIMIT @limit) n ON n.id = a.notification_id ORDER BY a.notification_id, a.attempt",
            parameters))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (attempts.TryGetValue(reader.GetString(0), out var list))
                {
                    list.Add(ReadAttempt(reader));
                }
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return [.. entries.Select(e => (e, (IReadOnlyList<AttemptRecord>)attempts[e.Id]))];
    }

    /// <inheritdoc />
    public async Task<(OutboxEntry Entry, IReadOnlyList<AttemptRecord> Attempts)?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await database.Dialect.BeginReadAsync(connection, cancellationToken).ConfigureAwait(false);
        OutboxEntry? entry = null;
        await using (var select = connection.Command(transaction, $"SELECT {Columns} FROM notifications WHERE id = @id", ("@id", id)))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entry = ReadEntry(reader);
            }
        }

        if (entry is null)
        {
            return null;
        }

        var attempts = new List<AttemptRecord>();
        await using (var select = connection.Command(transaction,
            "SELECT notification_id, attempt, at, duration_ms, outcome, status_code, reply, error, sender FROM notification_attempts WHERE notification_id = @id ORDER BY attempt", ("@id", id)))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                attempts.Add(ReadAttempt(reader));
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (entry, attempts);
    }

    private static OutboxEntry ReadEntry(DbDataReader reader)
    {
        var payload = System.Text.Json.Nodes.JsonNode.Parse(reader.GetString(reader.GetOrdinal("payload")))!;
        return new OutboxEntry(
            reader.GetString(reader.GetOrdinal("id")),
            reader.GetString(reader.GetOrdinal("tenant_id")),
            reader.GetString(reader.GetOrdinal("receiver_kind")),
            reader.GetString(reader.GetOrdinal("receiver_name")),
            reader.GetString(reader.GetOrdinal("group_key")),
            reader.GetString(reader.GetOrdinal("status")),
            payload["alerts"]!.AsArray().Count,
            reader.GetString(reader.GetOrdinal("idempotency_key")),
            reader.Time("created_at"),
            reader.Time("next_attempt_at"),
            WireName.Parse<OutboxState>(reader.GetString(reader.GetOrdinal("state"))),
            Convert.ToInt32(reader.GetValue(reader.GetOrdinal("attempts")), CultureInfo.InvariantCulture),
            reader.NullableString("claimed_by"),
            reader.NullableTime("claimed_until"),
            reader.NullableTime("sent_at"),
            reader.NullableString("last_error"));
    }

    private static AttemptRecord ReadAttempt(DbDataReader reader) => new(
        Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture),
        reader.Time("at"),
        TimeSpan.FromMilliseconds(reader.GetDouble(3)),
        reader.GetString(4) == "delivered",
        reader.IsDBNull(5) ? null : Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture),
        reader.IsDBNull(6) ? null : reader.GetString(6),
        reader.IsDBNull(7) ? null : reader.GetString(7),
        reader.GetString(8));
}
