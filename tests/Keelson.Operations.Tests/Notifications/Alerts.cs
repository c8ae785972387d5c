using System.Collections.Immutable;
using Keelson.Operations.Notifications;

namespace Keelson.Operations.Tests.Notifications;

/// <summary>Alerts and notifications for the notification tests.</summary>
internal static class Alerts
{
    public static readonly DateTimeOffset Start = new(2024, 1, 15, 9, 59, 0, TimeSpan.Zero);

    public static NotifiableAlert Make(string tenant, string rule, string severity, string instance, ReceiverSpec receiver, DateTimeOffset? endsAt = null) => new(
        tenant,
        rule,
        Labels(("alertname", rule), ("tenant", tenant), ("severity", severity), ("instance", instance)),
        Labels(("summary", $"{rule} on {instance}")),
        Start,
        endsAt,
        93.5,
        [receiver],
        NotificationPolicy.Default);

    public static ImmutableSortedDictionary<string, string> Labels(params (string Name, string Value)[] pairs) =>
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, pairs.Select(p => KeyValuePair.Create(p.Name, p.Value)));

    public static Notification Notification(string tenant, ReceiverSpec receiver, string key, DateTimeOffset at, params string[] instances)
    {
        var alerts = instances.Select(i => Make(tenant, "HighCpu", "warning", i, receiver)).ToImmutableArray();
        return new Notification(tenant, $"{tenant}/{ReceiverNames.Identity(receiver)}:{{alertname=\"HighCpu\"}}", receiver, ReceiverNames.Describe(receiver),
            Labels(("alertname", "HighCpu")), alerts, at, key);
    }
}
