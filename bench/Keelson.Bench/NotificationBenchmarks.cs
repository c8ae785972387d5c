using System.Collections.Immutable;
using System.Net;
using BenchmarkDotNet.Attributes;
using Keelson.Operations.Notifications;
using Keelson.Operations.Storage;

namespace Keelson.Bench;

/// <summary>
/// Notification fan-out: 1,000 notifications (one per tenant) written to a SQLite outbox, then claimed, sent over HTTP
/// to a loopback receiver that answers 200, and recorded — the whole durable path per notification.
/// </summary>
public class NotificationBenchmarks : IDisposable
{
    private const int Count = 1000;
    private readonly HttpClient http = new();
    private HttpListener listener = null!;
    private Uri url = null!;
    private string folder = null!;

    /// <summary>Starts the receiver.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        url = new Uri($"http://127.0.0.1:{port}/hook/");
        listener = new HttpListener();
        listener.Prefixes.Add(url.AbsoluteUri);
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                try
                {
                    var context = await listener.GetContextAsync();
                    context.Response.StatusCode = 200;
                    context.Response.Close();
                }
                catch (HttpListenerException)
                {
                    return;
                }
            }
        });
    }

    /// <summary>Stops the receiver.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        listener.Close();
        http.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Write 1,000 notifications to the outbox and deliver them all (8 attempts in flight).</summary>
    [Benchmark]
    public async Task<int> FanOut1000()
    {
        folder = Directory.CreateTempSubdirectory("keelson-bench-").FullName;
        await using var db = Database.Open(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, Connection = Path.Combine(folder, "bench.db") });
        await db.MigrateAsync(default);
        var outbox = new SqlNotificationOutbox(db);
        var hook = new WebhookReceiver(url);
        var now = DateTimeOffset.UtcNow;
        var notifications = Enumerable.Range(0, Count).Select(i =>
        {
            var tenant = $"tenant-{i:D4}";
            var labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["alertname"] = "HighCpu", ["tenant"] = tenant, ["severity"] = "warning" });
            return new Notification(tenant, $"{tenant}/hook", hook, ReceiverNames.Describe(hook), labels,
                [new NotifiableAlert(tenant, "HighCpu", labels, labels.Clear(), now, null, 91, [hook], NotificationPolicy.Default)], now, $"bench-{i:D4}");
        }).ToList();
        await outbox.EnqueueAsync(notifications, default);
        using var sender = new NotificationSender(outbox, [new HttpNotifier(http, TimeProvider.System, "http://keelson.example")],
            new NotificationSenderOptions { Concurrency = 8, BatchSize = 64 }, "bench", TimeProvider.System);
        var sent = await sender.SendDueAsync(default);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        return sent;
    }
}
