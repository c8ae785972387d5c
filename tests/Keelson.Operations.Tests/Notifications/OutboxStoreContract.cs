using Keelson.Operations.Notifications;
using Keelson.Operations.Tests.Storage;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Notifications;

/// <summary>The outbox on a real database: idempotent writes, exclusive claims across replicas, lapsed claims taken over, attempts recorded.</summary>
public abstract class OutboxStoreContract(TestDatabase target) : StoreContract(target)
{
    private static readonly WebhookReceiver Hook = new(new Uri("https://hooks.example.com/services/T000/SECRET-TOKEN"));

    [Fact]
    public async Task Enqueue_is_idempotent_and_the_row_reads_back_with_its_receiver()
    {
        var outbox = new SqlNotificationOutbox(Database);
        var n = Alerts.Notification("acme", Hook, "key-1", Clock.GetUtcNow(), "a", "b");
        Assert.Equal(1, await outbox.EnqueueAsync([n], default));
        Assert.Equal(0, await outbox.EnqueueAsync([n], default));

        var (entry, attempts) = Assert.Single(await outbox.ListAsync("acme", null, 10, default));
        Assert.Empty(attempts);
        Assert.Equal((OutboxState.Pending, 0, 2, "firing", "webhook", "webhook:https://hooks.example.com"), (entry.State, entry.Attempts, entry.AlertCount, entry.Status, entry.ReceiverKind, entry.ReceiverName));
        Assert.DoesNotContain("SECRET", entry.ToString(), StringComparison.Ordinal);
        Assert.Empty(await outbox.ListAsync("other", null, 10, default));

        var claimed = Assert.Single(await outbox.ClaimDueAsync("r1", TimeSpan.FromMinutes(1), 10, default));
        Assert.Equal(Hook, claimed.Notification.Receiver);
        Assert.Equal(n.IdempotencyKey, claimed.Notification.IdempotencyKey);
        Assert.Equal(n.Alerts.Select(a => a.Labels), claimed.Notification.Alerts.Select(a => a.Labels));
        Assert.Equal(n.Alerts.Select(a => (a.StartsAt, a.Value)), claimed.Notification.Alerts.Select(a => (a.StartsAt, a.Value)));
    }

    [Fact]
    public async Task Each_enqueued_notification_updates_its_groups_notification_log()
    {
        var outbox = new SqlNotificationOutbox(Database);
        var first = Alerts.Notification("acme", Hook, "key-log-1", Clock.GetUtcNow(), "a", "b");
        await outbox.EnqueueAsync([first], default);
        Clock.Advance(TimeSpan.FromMinutes(5));
        var second = Alerts.Notification("acme", Hook, "key-log-2", Clock.GetUtcNow(), "a");
        await outbox.EnqueueAsync([second], default);

        var log = await new SqlNotificationOutbox(OpenAnother()).NotificationLogAsync([first.GroupKey, "acme/none"], default);
        var entry = Assert.Single(log);
        Assert.Equal((first.GroupKey, second.FiringKey, second.CreatedAt), (entry.Key, entry.Value.Firing, entry.Value.NotifiedAt));
        Assert.NotEqual(first.FiringKey, second.FiringKey);
    }

    [Fact]
    public async Task Two_replicas_claiming_at_once_never_get_the_same_row()
    {
        var writer = new SqlNotificationOutbox(Database);
        var notifications = Enumerable.Range(0, 60).Select(i => Alerts.Notification("acme", Hook, $"key-{i:D2}", Clock.GetUtcNow(), $"i{i}")).ToList();
        Assert.Equal(60, await writer.EnqueueAsync(notifications, default));

        var replicas = new[] { new SqlNotificationOutbox(OpenAnother()), new SqlNotificationOutbox(OpenAnother()), new SqlNotificationOutbox(OpenAnother()) };
        var claims = await Task.WhenAll(replicas.Select(async (outbox, i) =>
        {
            var mine = new List<string>();
            while (await outbox.ClaimDueAsync($"replica-{i}", TimeSpan.FromMinutes(1), 4, default) is { Count: > 0 } batch)
            {
                mine.AddRange(batch.Select(c => c.Entry.IdempotencyKey));
            }

            return mine;
        }));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(60, all.Count);
        Assert.Equal(notifications.Select(n => n.IdempotencyKey).Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_lapsed_claim_is_taken_over_and_attempts_move_the_row()
    {
        var outbox = new SqlNotificationOutbox(Database);
        await outbox.EnqueueAsync([Alerts.Notification("acme", Hook, "key-1", Clock.GetUtcNow(), "a")], default);
        var first = Assert.Single(await outbox.ClaimDueAsync("dead-replica", TimeSpan.FromSeconds(30), 10, default));
        Assert.Empty(await outbox.ClaimDueAsync("live-replica", TimeSpan.FromSeconds(30), 10, default));

        Clock.Advance(TimeSpan.FromSeconds(31));
        var taken = Assert.Single(await outbox.ClaimDueAsync("live-replica", TimeSpan.FromSeconds(30), 10, default));
        Assert.Equal(first.Entry.Id, taken.Entry.Id);

        // The dead replica's late failure does not move a row it no longer holds; the live one's does.
        var at = Clock.GetUtcNow();
        await outbox.RecordAttemptAsync(first, "dead-replica", new DeliveryAttempt(at, TimeSpan.FromSeconds(2), 500, "HTTP 500"), OutboxState.Failed, at.AddMinutes(5), default);
        await outbox.RecordAttemptAsync(taken, "live-replica", new DeliveryAttempt(at, TimeSpan.FromMilliseconds(40), 503, "HTTP 503"), OutboxState.Failed, at.AddSeconds(10), default);
        var (entry, attempts) = (await outbox.GetAsync(taken.Entry.Id, default))!.Value;
        Assert.Equal((OutboxState.Failed, 2, "HTTP 503", at.AddSeconds(10), (string?)null), (entry.State, entry.Attempts, entry.LastError, entry.NextAttemptAt, entry.ClaimedBy));
        Assert.Equal([(1, 500, "dead-replica"), (2, 503, "live-replica")], attempts.Select(a => (a.Attempt, a.StatusCode ?? 0, a.Sender)));

        Assert.Empty(await outbox.ClaimDueAsync("live-replica", TimeSpan.FromSeconds(30), 10, default));
        Clock.Advance(TimeSpan.FromSeconds(10));
        var retry = Assert.Single(await outbox.ClaimDueAsync("live-replica", TimeSpan.FromSeconds(30), 10, default));
        await outbox.RecordAttemptAsync(retry, "live-replica", new DeliveryAttempt(Clock.GetUtcNow(), TimeSpan.FromMilliseconds(5), 200, null), OutboxState.Sent, Clock.GetUtcNow(), default);
        var (sent, all) = Assert.Single(await outbox.ListAsync("acme", OutboxState.Sent, 10, default));
        Assert.Equal((OutboxState.Sent, 3, (string?)null), (sent.State, sent.Attempts, sent.LastError));
        Assert.NotNull(sent.SentAt);
        Assert.True(all[^1].Delivered);
        Assert.Empty(await outbox.ListAsync("acme", OutboxState.Failed, 10, default));

        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await outbox.ClaimDueAsync("live-replica", TimeSpan.FromSeconds(30), 10, default));
    }
}

/// <summary>On SQLite.</summary>
public sealed class SqliteOutboxStoreTests() : OutboxStoreContract(new SqliteTestDatabase());

/// <summary>On PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresOutboxStoreTests(PostgresServer server) : OutboxStoreContract(new PostgresTestDatabase(server));
