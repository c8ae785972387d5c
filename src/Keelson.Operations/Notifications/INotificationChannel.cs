namespace Keelson.Operations.Notifications;

/// <summary>A way to deliver notifications to one kind of receiver (HTTP webhooks and Slack, SMTP e-mail).</summary>
public interface INotificationChannel
{
    /// <summary>Whether this channel delivers to <paramref name="receiver"/>.</summary>
    bool CanDeliverTo(ReceiverSpec receiver);

    /// <summary>Makes one attempt; failures are returned as a failed attempt (with an error free of secrets), not thrown.</summary>
    Task<DeliveryAttempt> SendAsync(Notification notification, CancellationToken cancellationToken);
}
