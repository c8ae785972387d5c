using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Keelson.Operations.Notifications;

/// <summary>
/// Between the dispatcher and the sender: when groups are due, applies the current silences and inhibition, writes
/// the notifications to the outbox (before any attempt, so nothing decided is lost to a crash), and wakes the sender.
/// </summary>
public sealed partial class NotificationPipeline(
    Dispatcher dispatcher, ISilenceStore silences, INotificationOutbox outbox, NotificationSender? sender, TimeProvider clock, ILogger<NotificationPipeline>? logger = null)
{
    private readonly ILogger log = logger ?? NullLogger<NotificationPipeline>.Instance;

    /// <summary>The dispatcher the rule evaluator publishes to.</summary>
    public Dispatcher Dispatcher => dispatcher;

    /// <summary>Flushes due groups into the outbox now; the notifications written.</summary>
    public async Task<IReadOnlyList<Notification>> FlushAsync(CancellationToken cancellationToken)
    {
        if (dispatcher.NextDue() is not { } due || due > clock.GetUtcNow())
        {
            return [];
        }

        // Groups this dispatcher has not seen notified yet read the shared notification log first (a restart, a lease handover).
        if (dispatcher.GroupsWithoutHistory() is { Count: > 0 } opened)
        {
            dispatcher.RestoreHistory(opened, await outbox.NotificationLogAsync(opened, cancellationToken).ConfigureAwait(false));
        }

        var muting = new AlertMuting(await silences.CurrentAsync(cancellationToken).ConfigureAwait(false), dispatcher.ActiveAlerts(), clock.GetUtcNow());
        var notifications = dispatcher.CollectDue(muting);
        if (notifications.Count > 0)
        {
            await outbox.EnqueueAsync(notifications, cancellationToken).ConfigureAwait(false);
            sender?.Wake();
        }

        return notifications;
    }

    /// <summary>Flushes every <paramref name="interval"/> until cancelled; a failed write is logged and retried.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(interval, clock, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                LogFlushFailed(log, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing due notifications to the outbox failed ({Error}); trying again")]
    private static partial void LogFlushFailed(ILogger logger, string error);
}
