namespace Keelson.Operations.Notifications;

/// <summary>Where an outbox row is: waiting for its first attempt, delivered, waiting for a retry, or given up.</summary>
public enum OutboxState
{
    /// <summary>Written, not attempted yet.</summary>
    Pending,

    /// <summary>A receiver accepted it.</summary>
    Sent,

    /// <summary>The last attempt failed; another follows at <see cref="OutboxEntry.NextAttemptAt"/>.</summary>
    Failed,

    /// <summary>Every allowed attempt failed; no more are made.</summary>
    Dead,
}

/// <summary>One outbox row as people may see it: the receiver only by its redacted name, never its URL.</summary>
/// <param name="Id">The row's id.</param>
/// <param name="TenantId">The tenant.</param>
/// <param name="ReceiverKind"><c>webhook</c>, <c>slack</c> or <c>email</c>.</param>
/// <param name="ReceiverName">Scheme and host, or the recipients: no secrets.</param>
/// <param name="GroupKey">The alert group.</param>
/// <param name="Status"><c>firing</c> or <c>resolved</c>.</param>
/// <param name="AlertCount">How many alerts it carries.</param>
/// <param name="IdempotencyKey">Sent with every attempt.</param>
/// <param name="CreatedAt">When the dispatcher wrote it.</param>
/// <param name="NextAttemptAt">When it is due (again).</param>
/// <param name="State">Where it is.</param>
/// <param name="Attempts">Attempts made.</param>
/// <param name="ClaimedBy">The replica holding it, while one does.</param>
/// <param name="ClaimedUntil">When that claim lapses.</param>
/// <param name="SentAt">When a receiver accepted it.</param>
/// <param name="LastError">The last failed attempt's error, without secrets.</param>
public sealed record OutboxEntry(
    string Id,
    string TenantId,
    string ReceiverKind,
    string ReceiverName,
    string GroupKey,
    string Status,
    int AlertCount,
    string IdempotencyKey,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    OutboxState State,
    int Attempts,
    string? ClaimedBy,
    DateTimeOffset? ClaimedUntil,
    DateTimeOffset? SentAt,
    string? LastError);

/// <summary>One recorded delivery attempt.</summary>
/// <param name="Attempt">1 for the first.</param>
/// <param name="At">When it started.</param>
/// <param name="Duration">How long it took.</param>
/// <param name="Delivered">Whether the receiver accepted it.</param>
/// <param name="StatusCode">The HTTP status or SMTP reply code, when one came.</param>
/// <param name="Reply">The SMTP server's reply text, when one came.</param>
/// <param name="Error">What went wrong, without URLs or passwords.</param>
/// <param name="Sender">The replica that made it.</param>
public sealed record AttemptRecord(int Attempt, DateTimeOffset At, TimeSpan Duration, bool Delivered, int? StatusCode, string? Reply, string? Error, string Sender);

/// <summary>A row a replica claimed: its public view, and the notification to send (receiver secrets included — never shown).</summary>
public sealed record ClaimedNotification(OutboxEntry Entry, Notification Notification);

/// <summary>The durable outbox between the dispatcher and the receivers.</summary>
public interface INotificationOutbox
{
    /// <summary>Writes notifications before any attempt; one already written (same idempotency key) is left as it is. The number newly written.</summary>
    Task<int> EnqueueAsync(IReadOnlyList<Notification> notifications, CancellationToken cancellationToken);

    /// <summary>Claims up to <paramref name="limit"/> due rows for <paramref name="owner"/> until now + <paramref name="lease"/>; rows another replica holds are skipped.</summary>
    Task<IReadOnlyList<ClaimedNotification>> ClaimDueAsync(string owner, TimeSpan lease, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Records an attempt on a claimed row and moves it to <paramref name="state"/> (next due at <paramref name="nextAttemptAt"/>),
    /// releasing the claim; a failure reported after the claim passed to another replica is recorded but changes nothing else.
    /// </summary>
    Task RecordAttemptAsync(ClaimedNotification claimed, string owner, DeliveryAttempt attempt, OutboxState state, DateTimeOffset nextAttemptAt, CancellationToken cancellationToken);

    /// <summary>A tenant's rows (every tenant's when <paramref name="tenantId"/> is null), newest first, each with its attempts in order.</summary>
    Task<IReadOnlyList<(OutboxEntry Entry, IReadOnlyList<AttemptRecord> Attempts)>> ListAsync(string? tenantId, OutboxState? state, int limit, CancellationToken cancellationToken);

    /// <summary>One row with its attempts, or null.</summary>
    Task<(OutboxEntry Entry, IReadOnlyList<AttemptRecord> Attempts)?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The notification log (written with each enqueued notification) of the groups in <paramref name="groupKeys"/> that have an entry.</summary>
    Task<IReadOnlyDictionary<string, NotificationLogEntry>> NotificationLogAsync(IReadOnlyCollection<string> groupKeys, CancellationToken cancellationToken);
}

/// <summary>Alertmanager's notification log entry for one group: the firing alerts last notified (<see cref="Notification.FiringKey"/>) and when.</summary>
public sealed record NotificationLogEntry(string Firing, DateTimeOffset NotifiedAt);
