using System.Collections.Immutable;

namespace Keelson.Operations.Notifications;

/// <summary>One alert as the rule evaluator hands it to the notifier: Prometheus's alert as sent to Alertmanager, plus where it goes.</summary>
/// <param name="TenantId">The tenant whose rule produced the alert.</param>
/// <param name="RuleName">The rule's name (<c>alertname</c>).</param>
/// <param name="Labels">The alert's labels after templating, including <c>alertname</c>, <c>tenant</c> and <c>severity</c>; its identity.</param>
/// <param name="Annotations">The alert's annotations after templating.</param>
/// <param name="StartsAt">When the alert started firing.</param>
/// <param name="EndsAt">When it resolved; null while it fires.</param>
/// <param name="Value">The value that made it fire (or the last one seen), when known.</param>
/// <param name="Receivers">Where notifications for it are sent: the rule's actions.</param>
/// <param name="Policy">How notifications for it are grouped and repeated.</param>
public sealed record NotifiableAlert(
    string TenantId,
    string RuleName,
    ImmutableSortedDictionary<string, string> Labels,
    ImmutableSortedDictionary<string, string> Annotations,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt,
    double? Value,
    ImmutableArray<ReceiverSpec> Receivers,
    NotificationPolicy Policy)
{
    /// <summary>True once the alert has resolved.</summary>
    public bool Resolved => EndsAt is not null;
}

/// <summary>A destination for notifications: one of the seed's alert actions.</summary>
public abstract record ReceiverSpec;

/// <summary>An HTTP endpoint that receives Alertmanager's webhook payload (<c>version: "4"</c>).</summary>
/// <param name="Url">An absolute http(s) URL; may hold a secret, so it is never shown in responses or logs.</param>
/// <param name="Method">POST unless the rule says otherwise.</param>
public sealed record WebhookReceiver(Uri Url, string Method = "POST") : ReceiverSpec;

/// <summary>A Slack incoming webhook.</summary>
/// <param name="Url">The incoming-webhook URL; a secret.</param>
/// <param name="Channel">Overrides the webhook's default channel when set.</param>
public sealed record SlackReceiver(Uri Url, string? Channel = null) : ReceiverSpec;

/// <summary>E-mail to a list of recipients over the server's configured SMTP relay.</summary>
public sealed record EmailReceiver(ImmutableArray<string> Recipients) : ReceiverSpec;

/// <summary>Alertmanager's route timers and grouping, with its defaults.</summary>
/// <param name="GroupBy">Labels that form a group; empty means one group per receiver and tenant.</param>
/// <param name="GroupWait">How long a new group waits for more alerts before its first notification.</param>
/// <param name="GroupInterval">How long a group waits before notifying about changes.</param>
/// <param name="RepeatInterval">How long before an unchanged firing group is notified again.</param>
public sealed record NotificationPolicy(
    ImmutableArray<string> GroupBy,
    TimeSpan GroupWait,
    TimeSpan GroupInterval,
    TimeSpan RepeatInterval)
{
    /// <summary>Alertmanager's defaults: group by alert name, 30 s, 5 m, 4 h.</summary>
    public static NotificationPolicy Default { get; } =
        new(["alertname"], TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(5), TimeSpan.FromHours(4));
}

/// <summary>Where the rule evaluator publishes the alerts it holds after each evaluation (firing ones, and each resolved one once).</summary>
public interface IAlertSink
{
    /// <summary>Accepts the current alerts of one tenant's evaluation cycle.</summary>
    ValueTask PublishAsync(IReadOnlyList<NotifiableAlert> alerts, CancellationToken cancellationToken);
}
