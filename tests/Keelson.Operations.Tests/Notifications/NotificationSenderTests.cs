using Keelson.Operations.Notifications;
using Keelson.Operations.Tests.Storage;

namespace Keelson.Operations.Tests.Notifications;

/// <summary>
/// The outbox, the sender loop and the pipeline on a SQLite database and a real loopback HTTP receiver, driven by a
/// manual clock: retries with seeded back-off, giving up, silences applied before the outbox, secrets kept out of logs.
/// </summary>
public sealed class NotificationSenderTests() : StoreContract(new SqliteTestDatabase()), IDisposable
{
    private readonly LoopbackReceiver receiver = new();
    private readonly HttpClient http = new();
    private readonly List<string> logs = [];

    private static RetryPolicy Retry => new() { MaxAttempts = 3, InitialDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromMinutes(1), Jitter = 0.5 };

    [Fact]
    public void Back_off_doubles_up_to_the_cap_and_jitter_only_shortens()
    {
        var policy = new RetryPolicy { InitialDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(60), Jitter = 0.2 };
        Assert.Equal([10, 20, 40, 60, 60], Enumerable.Range(1, 5).Select(n => policy.DelayAfter(n, 0).TotalSeconds));
        Assert.Equal(8, policy.DelayAfter(1, 0.999999).TotalSeconds, 3);
        Assert.Throws<ArgumentException>(() => new RetryPolicy { Jitter = 2 }.Validate());
    }

    [Fact]
    public async Task Failed_attempts_retry_with_seeded_back_off_then_deliver_with_the_same_key()
    {
        var outbox = new SqlNotificationOutbox(Database);
        using var sender = Sender(outbox, seed: 7);
        var attempted = new List<OutboxEntry>();
        sender.Attempted += attempted.Add;
        var notification = Alerts.Notification("acme", new WebhookReceiver(receiver.Url), "key-retry", Clock.GetUtcNow(), "a");
        await outbox.EnqueueAsync([notification], default);

        receiver.Mode = LoopbackReceiver.Behaviour.Fail;
        Assert.Equal(1, await sender.SendDueAsync(default));
        var (entry, attempts) = Assert.Single(await outbox.ListAsync("acme", null, 10, default));
        Assert.Equal((OutboxState.Failed, 500), (entry.State, Assert.Single(attempts).StatusCode));

        // The delay is the seeded draw of the policy: the same every run, and within [5 s, 10 s] for the first retry.
        var expected = Retry.DelayAfter(1, new Random(7).NextDouble());
        Assert.Equal(Clock.GetUtcNow() + expected, entry.NextAttemptAt);
        Assert.InRange(expected.TotalSeconds, 5, 10);
        Assert.Equal(0, await sender.SendDueAsync(default));

        receiver.Mode = LoopbackReceiver.Behaviour.Ok;
        Clock.Advance(expected);
        Assert.Equal(1, await sender.SendDueAsync(default));
        (entry, attempts) = Assert.Single(await outbox.ListAsync("acme", null, 10, default));
        Assert.Equal((OutboxState.Sent, 2), (entry.State, entry.Attempts));
        Assert.Equal([false, true], attempts.Select(a => a.Delivered));

        // Each recorded attempt was announced with the row as stored after it.
        Assert.Equal([(OutboxState.Failed, 1, "HTTP 500"), (OutboxState.Sent, 2, null)], attempted.Select(e => (e.State, e.Attempts, e.LastError)));
        Assert.Equal((entry.State, entry.Attempts, entry.LastError, entry.SentAt is null), (attempted[^1].State, attempted[^1].Attempts, attempted[^1].LastError, attempted[^1].SentAt is null));
        var (key, _) = Assert.Single(receiver.Received);
        Assert.Equal("key-retry", key);
        Assert.Contains(logs, l => l.Contains("attempt 1 failed (HTTP 500)", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains("attempt 2 delivered", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains("secret-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_the_last_allowed_attempt_the_row_is_dead_and_hangs_time_out()
    {
        var outbox = new SqlNotificationOutbox(Database);
        using var sender = Sender(outbox, seed: 1, timeout: TimeSpan.FromMilliseconds(500));
        await outbox.EnqueueAsync([Alerts.Notification("acme", new WebhookReceiver(receiver.Url), "key-dead", Clock.GetUtcNow(), "a")], default);
        receiver.Mode = LoopbackReceiver.Behaviour.Hang;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(1, await sender.SendDueAsync(default));
            Clock.Advance(TimeSpan.FromMinutes(2));
        }

        Assert.Equal(0, await sender.SendDueAsync(default));
        var (entry, attempts) = Assert.Single(await outbox.ListAsync("acme", null, 10, default));
        Assert.Equal((OutboxState.Dead, 3), (entry.State, entry.Attempts));
        Assert.All(attempts, a => Assert.Contains("no answer within 0.5 s", a.Error, StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains("giving up", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains(receiver.Url.AbsolutePath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pipeline_writes_due_groups_to_the_outbox_minus_silenced_alerts()
    {
        var outbox = new SqlNotificationOutbox(Database);
        var silences = new SqlSilenceStore(Database);
        using var sender = Sender(outbox, seed: 3);
        var dispatcher = new Dispatcher(Clock);
        var pipeline = new NotificationPipeline(dispatcher, silences, outbox, sender, Clock);
        var hook = new WebhookReceiver(receiver.Url);
        await silences.CreateAsync([LabelMatcher.Create("instance", MatcherType.Equal, "a").Matcher!], Clock.GetUtcNow(), Clock.GetUtcNow().AddHours(1), "ops", "", default);
        await dispatcher.PublishAsync([Alerts.Make("acme", "HighCpu", "warning", "a", hook), Alerts.Make("acme", "HighCpu", "warning", "b", hook)], default);

        Assert.Empty(await pipeline.FlushAsync(default));
        Clock.Advance(TimeSpan.FromSeconds(30));
        var written = Assert.Single(await pipeline.FlushAsync(default));
        Assert.Equal(["b"], written.Alerts.Select(a => a.Labels["instance"]));
        var (entry, _) = Assert.Single(await outbox.ListAsync("acme", OutboxState.Pending, 10, default));
        Assert.Equal(written.IdempotencyKey, entry.IdempotencyKey);

        Assert.Equal(1, await sender.SendDueAsync(default));
        var (_, body) = Assert.Single(receiver.Received);
        Assert.Contains("\"instance\":\"b\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"instance\":\"a\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_restarted_pipeline_reads_the_notification_log_and_does_not_resend_an_unchanged_group()
    {
        var hook = new WebhookReceiver(receiver.Url);
        var other = new WebhookReceiver(new Uri(receiver.Url, "other"));
        NotificationPipeline Start(Keelson.Operations.Storage.Database database) =>
            new(new Dispatcher(Clock), new SqlSilenceStore(database), new SqlNotificationOutbox(database), null, Clock);

        var first = Start(Database);
        await first.Dispatcher.PublishAsync([Alerts.Make("acme", "HighCpu", "warning", "a", hook)], default);
        Clock.Advance(TimeSpan.FromSeconds(30));
        var firstAt = Assert.Single(await first.FlushAsync(default)).CreatedAt;

        // A restart: a new dispatcher on the same database gets the same firing alert from the evaluator, and one for a
        // receiver never notified (the control: without a log entry a group is notified after group_wait, as before).
        var second = Start(OpenAnother());
        Clock.Advance(TimeSpan.FromMinutes(1));
        await second.Dispatcher.PublishAsync([Alerts.Make("acme", "HighCpu", "warning", "a", hook), Alerts.Make("acme", "HighCpu", "warning", "a", other)], default);
        Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal([ReceiverNames.Identity(other)], (await second.FlushAsync(default)).Select(n => ReceiverNames.Identity(n.Receiver)));

        // The unchanged group is next notified at the first group_interval tick at least repeat_interval after the first notification.
        var repeats = new List<DateTimeOffset>();
        while (Clock.GetUtcNow() < firstAt + TimeSpan.FromHours(4) + TimeSpan.FromMinutes(5))
        {
            Clock.Advance(TimeSpan.FromMinutes(5));
            repeats.AddRange((await second.FlushAsync(default)).Where(n => n.Receiver == hook).Select(n => n.CreatedAt));
        }

        var repeat = Assert.Single(repeats);
        Assert.InRange(repeat - firstAt, TimeSpan.FromHours(4), TimeSpan.FromHours(4) + TimeSpan.FromMinutes(5));

        // After another restart a changed firing set is notified once group_wait has passed.
        var third = Start(OpenAnother());
        await third.Dispatcher.PublishAsync([Alerts.Make("acme", "HighCpu", "warning", "a", hook), Alerts.Make("acme", "HighCpu", "warning", "b", hook)], default);
        Clock.Advance(TimeSpan.FromSeconds(30));
        var changed = Assert.Single(await third.FlushAsync(default), n => n.Receiver == hook);
        Assert.Equal(["a", "b"], changed.Alerts.Select(a => a.Labels["instance"]));
    }

    public void Dispose()
    {
        receiver.Dispose();
        http.Dispose();
    }

    private NotificationSender Sender(INotificationOutbox outbox, int seed, TimeSpan? timeout = null) => new(
        outbox,
        [new HttpNotifier(http, Clock, "http://keelson.example", timeout ?? TimeSpan.FromSeconds(10))],
        new NotificationSenderOptions { Retry = Retry, JitterSeed = seed, Concurrency = 2 },
        "replica-test",
        Clock,
        new ListLogger<NotificationSender>(logs));
}
