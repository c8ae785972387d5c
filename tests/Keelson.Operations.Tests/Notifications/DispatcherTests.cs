using System.Collections.Immutable;
using System.Net;
using System.Text.Json.Nodes;
using Keelson.Operations.Notifications;
using Keelson.Operations.Tests.Storage;

namespace Keelson.Operations.Tests.Notifications;

/// <summary>Alertmanager's grouping timers on a virtual clock, and delivery to a real loopback HTTP receiver.</summary>
public sealed class DispatcherTests
{
    private static readonly WebhookReceiver Hook = new(new Uri("http://127.0.0.1:1/secret-token/hook"));
    private readonly ManualClock clock = new(new DateTimeOffset(2024, 1, 15, 10, 0, 0, TimeSpan.Zero));

    private static NotifiableAlert Alert(string instance, DateTimeOffset? endsAt = null, ReceiverSpec? receiver = null) => new(
        "shop",
        "HighCpu",
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            ["alertname"] = "HighCpu", ["tenant"] = "shop", ["severity"] = "warning", ["instance"] = instance,
        }),
        ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["summary"] = $"cpu high on {instance}" }),
        new DateTimeOffset(2024, 1, 15, 9, 59, 0, TimeSpan.Zero),
        endsAt,
        93.5,
        [receiver ?? Hook],
        NotificationPolicy.Default);

    [Fact]
    public async Task New_group_waits_group_wait_then_batches_alerts_that_arrived_meanwhile()
    {
        var dispatcher = new Dispatcher(clock);
        await dispatcher.PublishAsync([Alert("a")], default);
        clock.Advance(TimeSpan.FromSeconds(10));
        await dispatcher.PublishAsync([Alert("a"), Alert("b")], default);
        clock.Advance(TimeSpan.FromSeconds(19));
        Assert.Empty(dispatcher.CollectDue());

        clock.Advance(TimeSpan.FromSeconds(1));
        var sent = Assert.Single(dispatcher.CollectDue());
        Assert.Equal(2, sent.Alerts.Length);
        Assert.Equal("firing", sent.Status);
        Assert.Equal("HighCpu", sent.GroupLabels["alertname"]);
    }

    [Fact]
    public async Task Changes_wait_group_interval_and_unchanged_groups_repeat_after_repeat_interval()
    {
        var dispatcher = new Dispatcher(clock);
        await dispatcher.PublishAsync([Alert("a")], default);
        clock.Advance(TimeSpan.FromSeconds(30));
        var first = Assert.Single(dispatcher.CollectDue());

        await dispatcher.PublishAsync([Alert("a"), Alert("b")], default);
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Empty(dispatcher.CollectDue());
        clock.Advance(TimeSpan.FromMinutes(1));
        var change = Assert.Single(dispatcher.CollectDue());
        Assert.Equal(2, change.Alerts.Length);
        Assert.NotEqual(first.IdempotencyKey, change.IdempotencyKey);

        // Unchanged: group_interval ticks stay silent until repeat_interval (4 h) has passed since the last notice.
        for (var i = 0; i < 47; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            Assert.Empty(dispatcher.CollectDue());
        }

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Single(dispatcher.CollectDue());
    }

    [Fact]
    public async Task Resolved_alert_is_notified_once_and_empty_group_goes_away()
    {
        var dispatcher = new Dispatcher(clock);
        await dispatcher.PublishAsync([Alert("a")], default);
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Single(dispatcher.CollectDue());

        await dispatcher.PublishAsync([Alert("a", endsAt: clock.GetUtcNow())], default);
        clock.Advance(TimeSpan.FromMinutes(5));
        var resolved = Assert.Single(dispatcher.CollectDue());
        Assert.Equal("resolved", resolved.Status);
        Assert.Null(dispatcher.NextDue());
        clock.Advance(TimeSpan.FromHours(5));
        Assert.Empty(dispatcher.CollectDue());
    }

    [Fact]
    public async Task Groups_split_by_receiver_and_group_key_hides_the_url()
    {
        var dispatcher = new Dispatcher(clock);
        var other = new WebhookReceiver(new Uri("http://127.0.0.1:1/other-secret"));
        await dispatcher.PublishAsync([Alert("a"), Alert("b", receiver: other)], default);
        clock.Advance(TimeSpan.FromSeconds(30));
        var sent = dispatcher.CollectDue();
        Assert.Equal(2, sent.Count);
        Assert.All(sent, n => Assert.DoesNotContain("secret", n.GroupKey + n.ReceiverName));
    }

    [Fact]
    public async Task Webhook_delivers_alertmanager_payload_with_idempotency_key_and_records_500_and_hang()
    {
        using var receiver = new LoopbackReceiver();
        var dispatcher = new Dispatcher(clock);
        await dispatcher.PublishAsync([Alert("a", receiver: new WebhookReceiver(receiver.Url))], default);
        clock.Advance(TimeSpan.FromSeconds(30));
        var notification = Assert.Single(dispatcher.CollectDue());
        using var http = new HttpClient();
        // A generous timeout for answered attempts (a cold first request can be slow), a short one for the hang.
        var notifier = new HttpNotifier(http, clock, "http://keelson.example", TimeSpan.FromSeconds(10));
        var impatient = new HttpNotifier(http, clock, "http://keelson.example", TimeSpan.FromSeconds(1));

        var ok = await notifier.SendAsync(notification, default);
        Assert.True(ok.Succeeded, ok.Error);
        var (key, body) = Assert.Single(receiver.Received);
        Assert.Equal(notification.IdempotencyKey, key);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("4", (string?)json["version"]);
        Assert.Equal("firing", (string?)json["status"]);
        Assert.Equal(notification.GroupKey, (string?)json["groupKey"]);
        Assert.Equal(0, (int?)json["truncatedAlerts"]);
        Assert.Equal("http://keelson.example", (string?)json["externalURL"]);
        Assert.Equal("HighCpu", (string?)json["commonLabels"]!["alertname"]);
        var alert = json["alerts"]![0]!;
        Assert.Equal("a", (string?)alert["labels"]!["instance"]);
        Assert.Equal("0001-01-01T00:00:00Z", (string?)alert["endsAt"]);
        Assert.Equal(16, ((string?)alert["fingerprint"])!.Length);
        Assert.DoesNotContain(receiver.Url.AbsolutePath, (string?)json["receiver"]);

        receiver.Mode = LoopbackReceiver.Behaviour.Fail;
        var failed = await notifier.SendAsync(notification, default);
        Assert.False(failed.Succeeded);
        Assert.Equal(500, failed.StatusCode);

        receiver.Mode = LoopbackReceiver.Behaviour.Hang;
        var hung = await impatient.SendAsync(notification, default);
        Assert.False(hung.Succeeded);
        Assert.Null(hung.StatusCode);
        Assert.Contains("no answer", hung.Error);
        Assert.DoesNotContain("hook", hung.Error);
    }
}

/// <summary>A real HTTP receiver on loopback that records what it gets, answers 500, or never answers.</summary>
internal sealed class LoopbackReceiver : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly CancellationTokenSource stop = new();

    public LoopbackReceiver()
    {
        var port = FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/hook/secret-token/");
        listener.Prefixes.Add(Url.AbsoluteUri);
        listener.Start();
        _ = Task.Run(Serve);
    }

    public enum Behaviour { Ok, Fail, Hang }

    public Uri Url { get; }

    public Behaviour Mode { get; set; }

    public List<(string? IdempotencyKey, string Body)> Received { get; } = [];

    public void Dispose()
    {
        stop.Cancel();
        listener.Close();
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private async Task Serve()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using var reader = new StreamReader(context.Request.InputStream);
                var body = await reader.ReadToEndAsync();
                switch (Mode)
                {
                    case Behaviour.Hang:
                        try
                        {
                            await Task.Delay(Timeout.Infinite, stop.Token);
                        }
                        catch (OperationCanceledException)
                        {
                        }

                        return;
                    case Behaviour.Fail:
                        context.Response.StatusCode = 500;
                        break;
                    default:
                        lock (Received)
                        {
                            Received.Add((context.Request.Headers["Idempotency-Key"], body));
                        }

                        context.Response.StatusCode = 200;
                        break;
                }

                context.Response.Close();
            });
        }
    }
}
