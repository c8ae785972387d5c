using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;

namespace Keelson.Operations.Notifications;

/// <summary>One notification the dispatcher decided to send: a group's alerts for one receiver.</summary>
/// <param name="TenantId">The tenant the group belongs to.</param>
/// <param name="GroupKey">The group's identity (tenant, receiver, group_by values); holds no secrets.</param>
/// <param name="Receiver">Where it goes.</param>
/// <param name="ReceiverName">The receiver as shown to people: scheme and host only.</param>
/// <param name="GroupLabels">The group_by label values.</param>
/// <param name="Alerts">The group's alerts at flush time, firing and newly resolved.</param>
/// <param name="CreatedAt">When the dispatcher decided to send it.</param>
/// <param name="IdempotencyKey">Stable per notification, sent as the <c>Idempotency-Key</c> header so receivers can de-duplicate retries.</param>
public sealed record Notification(
    string TenantId,
    string GroupKey,
    ReceiverSpec Receiver,
    string ReceiverName,
    ImmutableSortedDictionary<string, string> GroupLabels,
    ImmutableArray<NotifiableAlert> Alerts,
    DateTimeOffset CreatedAt,
    string IdempotencyKey)
{
    /// <summary>"firing" when any alert in it fires, otherwise "resolved" (Alertmanager's rule).</summary>
    public string Status => Alerts.Any(a => !a.Resolved) ? "firing" : "resolved";

    /// <summary>The fingerprints of its firing alerts, sorted and comma-separated: what the dispatcher compares to decide whether a group changed.</summary>
    public string FiringKey => Dispatcher.FiringKey(Alerts.Where(a => !a.Resolved).Select(a => Fingerprints.Of(a.Labels)));
}

/// <summary>
/// Alertmanager's aggregation groups: alerts are grouped per (tenant, receiver, group_by values); a new group waits
/// group_wait, then is re-examined every group_interval and notified when its firing set changed, an alert resolved,
/// or repeat_interval passed. Time comes only from the <see cref="TimeProvider"/>, so tests drive it on a virtual clock.
/// </summary>
public sealed class Dispatcher(TimeProvider clock) : IAlertSink
{
    private readonly object gate = new();
    private readonly Dictionary<string, Group> groups = new(StringComparer.Ordinal);

    // Every alert last published and not resolved, whatever its receivers: the sources inhibition looks at.
    private readonly Dictionary<string, NotifiableAlert> active = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask PublishAsync(IReadOnlyList<NotifiableAlert> alerts, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        lock (gate)
        {
            foreach (var alert in alerts)
            {
                var identity = $"{alert.TenantId}/{Fingerprints.Of(alert.Labels)}";
                if (alert.Resolved)
                {
                    active.Remove(identity);
                }
                else
                {
                    active[identity] = alert;
                }

                foreach (var receiver in alert.Receivers)
                {
                    var groupLabels = alert.Policy.GroupBy
                        .Where(alert.Labels.ContainsKey)
                        .ToImmutableSortedDictionary(name => name, name => alert.Labels[name], StringComparer.Ordinal);
                    var receiverName = ReceiverNames.Describe(receiver);
                    var key = $"{alert.TenantId}/{ReceiverNames.Identity(receiver)}:{{{string.Join(',', groupLabels.Select(p => $"{p.Key}=\"{p.Value}\""))}}}";
                    if (!groups.TryGetValue(key, out var group))
                    {
                        // A resolved alert never opens a group: there was nothing firing to tell anyone about.
                        if (alert.Resolved)
                        {
                            continue;
                        }

                        group = new Group(key, alert.TenantId, receiver, receiverName, groupLabels, alert.Policy, now + alert.Policy.GroupWait);
                        groups.Add(key, group);
                    }

                    group.Alerts[Fingerprints.Of(alert.Labels)] = alert;
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>The comparison key of a set of firing alert fingerprints.</summary>
    public static string FiringKey(IEnumerable<string> fingerprints) => string.Join(',', fingerprints.Order(StringComparer.Ordinal));

    /// <summary>Groups opened since their notification log was last looked up (see <see cref="RestoreHistory"/>).</summary>
    public IReadOnlyList<string> GroupsWithoutHistory()
    {
        lock (gate)
        {
            return [.. groups.Values.Where(g => !g.HistoryLoaded).Select(g => g.Key)];
        }
    }

    /// <summary>
    /// Gives the groups <paramref name="keys"/> what the notification log says was last sent for them, as Alertmanager's
    /// dedup stage reads its nflog: a group re-opened after a restart (or on another replica) with the same firing
    /// alerts is then not notified again before repeat_interval. Groups already notified by this dispatcher keep their own.
    /// </summary>
    public void RestoreHistory(IReadOnlyCollection<string> keys, IReadOnlyDictionary<string, NotificationLogEntry> log)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(log);
        lock (gate)
        {
            foreach (var key in keys)
            {
                if (!groups.TryGetValue(key, out var group) || group.HistoryLoaded)
                {
                    continue;
                }

                group.HistoryLoaded = true;
                if (group.LastNotifiedAt is null && log.TryGetValue(key, out var entry))
                {
                    group.LastFiringHash = entry.Firing;
                    group.LastNotifiedAt = entry.NotifiedAt;
                }
            }
        }
    }

    /// <summary>When the next group is due, or null when there are no groups.</summary>
    public DateTimeOffset? NextDue()
    {
        lock (gate)
        {
            return groups.Count == 0 ? null : groups.Values.Min(g => g.NextFlush);
        }
    }

    /// <summary>The alerts published last and not resolved, across tenants and receivers: inhibition's sources.</summary>
    public IReadOnlyList<NotifiableAlert> ActiveAlerts()
    {
        lock (gate)
        {
            return [.. active.Values];
        }
    }

    /// <summary>Flushes every group whose timer has run out and returns the notifications that are due now.</summary>
    public IReadOnlyList<Notification> CollectDue() => CollectDue(AlertMuting.None);

    /// <summary>
    /// Flushes every group whose timer has run out and returns the notifications that are due now, leaving out alerts
    /// that <paramref name="muting"/> silences or inhibits (Alertmanager's mute stages run before its dedup stage, so a
    /// muted alert neither triggers nor appears in a notification).
    /// </summary>
    public IReadOnlyList<Notification> CollectDue(AlertMuting muting)
    {
        ArgumentNullException.ThrowIfNull(muting);
        var now = clock.GetUtcNow();
        var due = new List<Notification>();
        lock (gate)
        {
            foreach (var group in groups.Values.OrderBy(g => g.Key, StringComparer.Ordinal).ToList())
            {
                if (group.NextFlush > now)
                {
                    continue;
                }

                var resolved = group.Alerts.Where(p => p.Value.Resolved).Select(p => p.Key).ToList();
                var shown = group.Alerts.Where(p => !muting.IsMuted(p.Value)).ToList();
                var firing = shown.Where(p => !p.Value.Resolved).Select(p => p.Key).Order(StringComparer.Ordinal).ToImmutableArray();
                var firingHash = FiringKey(firing);
                var changed = firingHash != group.LastFiringHash || shown.Any(p => p.Value.Resolved);
                var repeat = firing.Length > 0 && group.LastNotifiedAt is { } last && now - last >= group.Policy.RepeatInterval;
                if (shown.Count > 0 && (changed || repeat))
                {
                    var alerts = shown.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value).ToImmutableArray();
                    var idempotency = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{group.Key}@{now.UtcTicks}")))[..32];
                    due.Add(new Notification(group.TenantId, group.Key, group.Receiver, group.ReceiverName, group.GroupLabels, alerts, now, idempotency));
                    group.LastFiringHash = firingHash;
                    group.LastNotifiedAt = now;
                }

                // Resolved alerts are told once, then forgotten; an empty group goes away (Alertmanager deletes it too).
                foreach (var fingerprint in resolved)
                {
                    group.Alerts.Remove(fingerprint);
                }

                if (group.Alerts.Count == 0)
                {
                    groups.Remove(group.Key);
                }
                else
                {
                    group.NextFlush = now + group.Policy.GroupInterval;
                }
            }
        }

        return due;
    }

    private sealed class Group(
        string key,
        string tenantId,
        ReceiverSpec receiver,
        string receiverName,
        ImmutableSortedDictionary<string, string> groupLabels,
        NotificationPolicy policy,
        DateTimeOffset nextFlush)
    {
        public string Key { get; } = key;
        public string TenantId { get; } = tenantId;
        public ReceiverSpec Receiver { get; } = receiver;
        public string ReceiverName { get; } = receiverName;
        public ImmutableSortedDictionary<string, string> GroupLabels { get; } = groupLabels;
        public NotificationPolicy Policy { get; } = policy;
        public DateTimeOffset NextFlush { get; set; } = nextFlush;
        public Dictionary<string, NotifiableAlert> Alerts { get; } = new(StringComparer.Ordinal);
        public string? LastFiringHash { get; set; }
        public DateTimeOffset? LastNotifiedAt { get; set; }
        public bool HistoryLoaded { get; set; }
    }
}

/// <summary>Alert fingerprints: FNV-1a (64-bit) over the sorted label pairs, as 16 hex digits like Alertmanager shows them.</summary>
public static class Fingerprints
{
    /// <summary>The fingerprint of a label set.</summary>
    public static string Of(IEnumerable<KeyValuePair<string, string>> labels)
    {
        const ulong offset = 14695981039346656037UL;
        const ulong prime = 1099511628211UL;
        var hash = offset;
        foreach (var (name, value) in labels.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            foreach (var b in Encoding.UTF8.GetBytes(name).Append((byte)0xff).Concat(Encoding.UTF8.GetBytes(value)).Append((byte)0xff))
            {
                hash ^= b;
                hash *= prime;
            }
        }

        return hash.ToString("x16");
    }
}

/// <summary>Safe names for receivers: URLs can hold secrets, so only scheme and host are ever shown.</summary>
public static class ReceiverNames
{
    /// <summary>A display name without secrets, e.g. <c>webhook:https://hooks.example.com</c>.</summary>
    public static string Describe(ReceiverSpec receiver) => receiver switch
    {
        WebhookReceiver w => $"webhook:{w.Url.Scheme}://{w.Url.Authority}",
        SlackReceiver s => $"slack:{s.Url.Scheme}://{s.Url.Authority}",
        EmailReceiver e => $"email:{string.Join(',', e.Recipients)}",
        _ => receiver.GetType().Name,
    };

    /// <summary>A stable identity for grouping that distinguishes URLs without revealing them (a hash of the full URL).</summary>
    public static string Identity(ReceiverSpec receiver) => receiver switch
    {
        WebhookReceiver w => $"{Describe(w)}#{Hash(w.Method + " " + w.Url.AbsoluteUri)}",
        SlackReceiver s => $"{Describe(s)}#{Hash(s.Url.AbsoluteUri + "|" + s.Channel)}",
        _ => Describe(receiver),
    };

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
}
