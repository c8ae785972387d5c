using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keelson.Operations.Notifications;

/// <summary>How the sender loop claims and retries.</summary>
public sealed record NotificationSenderOptions
{
    /// <summary>Back-off and the attempt limit.</summary>
    public RetryPolicy Retry { get; init; } = new();

    /// <summary>How long a claim holds; longer than one attempt's timeout, so a live sender never loses a row mid-attempt.</summary>
    public TimeSpan ClaimLease { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Rows claimed at once.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Attempts in flight at once.</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>How often the outbox is looked at when nothing woke the sender.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Seeds the jitter so tests see the same delays every run; random when null.</summary>
    public int? JitterSeed { get; init; }
}

/// <summary>
/// The sender loop: claims due outbox rows (a lease, so another replica never sends the same row at the same time),
/// makes one attempt each through the channel for its receiver, records the attempt, and schedules a retry with
/// back-off or gives up after <see cref="RetryPolicy.MaxAttempts"/>. Delivery is at least once: a replica killed after
/// the receiver accepted but before the row was marked sent leaves the row to be sent again when its claim lapses, with
/// the same <c>Idempotency-Key</c>, so the receiver can drop the duplicate.
/// </summary>
public sealed partial class NotificationSender : IDisposable
{
    private readonly INotificationOutbox outbox;
    private readonly IReadOnlyList<INotificationChannel> channels;
    private readonly NotificationSenderOptions options;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly Random random;
    private readonly Lock randomLock = new();
    private readonly SemaphoreSlim wake = new(0, 1);

    /// <summary>A sender for <paramref name="owner"/> (this replica's name in claims and attempt records).</summary>
    public NotificationSender(
        INotificationOutbox outbox, IReadOnlyList<INotificationChannel> channels, NotificationSenderOptions options, string owner, TimeProvider clock, ILogger<NotificationSender>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        options.Retry.Validate();
        this.outbox = outbox;
        this.channels = channels;
        this.options = options;
        this.clock = clock;
        this.logger = logger ?? NullLogger<NotificationSender>.Instance;
        random = options.JitterSeed is { } seed ? new Random(seed) : new Random();
        Owner = owner;
    }

    /// <summary>This replica's name in claims and attempt records.</summary>
    public string Owner { get; }

    /// <summary>Makes the loop look at the outbox now (something was just written).</summary>
    public void Wake()
    {
        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    /// <inheritdoc />
    public void Dispose() => wake.Dispose();

    /// <summary>Raised after each attempt is recorded, with the row as it now is (state, attempts, last error).</summary>
    public event Action<OutboxEntry>? Attempted;

    /// <summary>Sends everything due now, batch after batch, and returns how many attempts were made.</summary>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var claimed = await outbox.ClaimDueAsync(Owner, options.ClaimLease, options.BatchSize, cancellationToken).ConfigureAwait(false);
            if (claimed.Count == 0)
            {
                return total;
            }

            await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
                async (row, token) => await AttemptAsync(row, token).ConfigureAwait(false)).ConfigureAwait(false);
            total += claimed.Count;
        }
    }

    /// <summary>Sends due rows until cancelled, waking on <see cref="Wake"/> or every poll interval; database errors are logged and retried.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await SendDueAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                LogScanFailed(logger, e.GetType().Name);
            }

            try
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(options.PollInterval, clock, wait.Token);
                await Task.WhenAny(delay, wake.WaitAsync(wait.Token)).ConfigureAwait(false);
                await wait.CancelAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task AttemptAsync(ClaimedNotification row, CancellationToken cancellationToken)
    {
        var entry = row.Entry;
        var number = entry.Attempts + 1;
        var channel = channels.FirstOrDefault(c => c.CanDeliverTo(row.Notification.Receiver));
        var attempt = channel is null
            ? new DeliveryAttempt(clock.GetUtcNow(), TimeSpan.Zero, null, $"no channel is configured for {entry.ReceiverKind} receivers")
            : await channel.SendAsync(row.Notification, cancellationToken).ConfigureAwait(false);

        OutboxState state;
        var next = clock.GetUtcNow();
        if (attempt.Succeeded)
        {
            state = OutboxState.Sent;
            LogDelivered(logger, entry.Id, entry.TenantId, entry.ReceiverName, number, attempt.StatusCode);
        }
        else if (number >= options.Retry.MaxAttempts)
        {
            state = OutboxState.Dead;
            LogGaveUp(logger, entry.Id, entry.TenantId, entry.ReceiverName, number, attempt.Error);
        }
        else
        {
            state = OutboxState.Failed;
            double draw;
            lock (randomLock)
            {
                draw = random.NextDouble();
            }

            next += options.Retry.DelayAfter(number, draw);
            LogRetrying(logger, entry.Id, entry.TenantId, entry.ReceiverName, number, attempt.Error, next);
        }

        // Recorded even when the caller is stopping: the attempt happened, and its outcome must not be lost.
        await outbox.RecordAttemptAsync(row, Owner, attempt, state, next, CancellationToken.None).ConfigureAwait(false);
        Attempted?.Invoke(entry with
        {
            State = state,
            Attempts = number,
            NextAttemptAt = next,
            SentAt = attempt.Succeeded ? attempt.At : entry.SentAt,
            LastError = attempt.Succeeded ? null : attempt.Error,
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {NotificationId} of {TenantId} to {Receiver}: attempt {Attempt} delivered ({Status})")]
    private static partial void LogDelivered(ILogger logger, string notificationId, string tenantId, string receiver, int attempt, int? status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {NotificationId} of {TenantId} to {Receiver}: attempt {Attempt} failed ({Error}); next attempt at {NextAttemptAt:O}")]
    private static partial void LogRetrying(ILogger logger, string notificationId, string tenantId, string receiver, int attempt, string? error, DateTimeOffset nextAttemptAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {NotificationId} of {TenantId} to {Receiver}: attempt {Attempt} failed ({Error}); giving up")]
    private static partial void LogGaveUp(ILogger logger, string notificationId, string tenantId, string receiver, int attempt, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the notification outbox failed ({Error}); trying again")]
    private static partial void LogScanFailed(ILogger logger, string error);
}
