using System.Collections.Immutable;
using System.Net;
using Keelson.Operations.Notifications;
using Keelson.Operations.Storage;
using Keelson.Testing;
using Xunit.Abstractions;

namespace Keelson.Server.Tests.Processes;

/// <summary>
/// The outbox across real server processes: a server killed while its attempt hangs at the receiver is restarted and
/// the notification arrives with the same Idempotency-Key; two replicas on one PostgreSQL database deliver each row once.
/// </summary>
[Collection(ServerProcessTests.Name)]
[Trait("Category", "Processes")]
public sealed class NotificationOutboxProcessTests(PostgresServer postgres, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string[] Names = ["A", "B"];
    private ProcessTestbed testbed = null!;

    public async Task InitializeAsync() => testbed = await ProcessTestbed.StartAsync(10, output);

    public async Task DisposeAsync() => await testbed.DisposeAsync();

    [Fact]
    public Task A_server_killed_mid_send_delivers_after_restart_with_the_same_key() => testbed.RunAsync(async () =>
    {
        var data = Path.Combine(testbed.Folder, "data");
        using var receiver = new Receiver(hangFirst: 1);
        var key = await EnqueueAsync(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, Connection = Path.Combine(data, "demo.db") }, receiver.Url, 1);
        string[] flags = ["--Keelson:Notifications:ClaimLease", "00:00:02", "--Keelson:Notifications:AttemptTimeout", "00:01:00", "--Keelson:Notifications:PollInterval", "00:00:00.200"];

        var a = await testbed.StartServerAsync("A", data, flags);
        await receiver.WaitForAsync(1, TimeSpan.FromSeconds(30));
        await a.KillAsync();

        var b = await testbed.StartServerAsync("B", data, flags);
        await receiver.WaitForAsync(2, TimeSpan.FromSeconds(30));
        Assert.All(receiver.Keys, k => Assert.Equal(key[0], k));
        Assert.Equal(1, receiver.Answered);
        await b.StopAsync();
    });

    [Fact]
    public Task Two_replicas_on_one_PostgreSQL_database_deliver_each_notification_once() => testbed.RunAsync(async () =>
    {
        var database = await postgres.CreateDatabaseAsync();
        using var receiver = new Receiver(hangFirst: 0);
        var keys = await EnqueueAsync(new DatabaseOptions { Provider = DatabaseProvider.Postgres, Connection = database }, receiver.Url, 40);
        string[] flags = ["--ConnectionStrings:Demo", database, "--Keelson:Notifications:PollInterval", "00:00:00.100"];
        var replicas = await Task.WhenAll(Names.Select(n => testbed.StartServerAsync(n, Path.Combine(testbed.Folder, n), flags)));
        await receiver.WaitForAsync(40, TimeSpan.FromSeconds(60));
        await Task.Delay(1000);
        Assert.Equal(keys.Order(StringComparer.Ordinal), receiver.Keys.Order(StringComparer.Ordinal));
        foreach (var replica in replicas)
        {
            await replica.StopAsync();
        }
    });

    private static async Task<IReadOnlyList<string>> EnqueueAsync(DatabaseOptions options, Uri url, int count)
    {
        await using var db = Database.Open(options);
        await db.MigrateAsync(default);
        var hook = new WebhookReceiver(url);
        var labels = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string> { ["alertname"] = "HighCpu", ["tenant"] = "acme" });
        var notifications = Enumerable.Range(0, count).Select(i => new Notification("acme", $"acme/{i}", hook, ReceiverNames.Describe(hook), labels,
            [new NotifiableAlert("acme", "HighCpu", labels, labels.Clear(), DateTimeOffset.UtcNow, null, 90, [hook], NotificationPolicy.Default)],
            DateTimeOffset.UtcNow, $"process-key-{i:D3}")).ToList();
        await new SqlNotificationOutbox(db).EnqueueAsync(notifications, default);
        return [.. notifications.Select(n => n.IdempotencyKey)];
    }

    /// <summary>A loopback HTTP receiver that never answers its first <c>hangFirst</c> requests and answers 200 afterwards.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly List<string> keys = [];
        private readonly int hangFirst;
        private int answered;

        public Receiver(int hangFirst)
        {
            this.hangFirst = hangFirst;
            Url = new Uri($"http://127.0.0.1:{ExternalProcess.FreePort()}/hook/secret/");
            listener.Prefixes.Add(Url.AbsoluteUri);
            listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public Uri Url { get; }

        public IReadOnlyList<string> Keys
        {
            get
            {
                lock (keys)
                {
                    return [.. keys];
                }
            }
        }

        public int Answered => Volatile.Read(ref answered);

        public async Task WaitForAsync(int requests, TimeSpan timeout)
        {
            var until = DateTime.UtcNow + timeout;
            while (Keys.Count < requests)
            {
                if (DateTime.UtcNow > until)
                {
                    throw new TimeoutException($"{Keys.Count} of {requests} requests reached the receiver within {timeout}.");
                }

                await Task.Delay(50);
            }
        }

        public void Dispose() => listener.Close();

        private async Task ServeAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                int seen;
                lock (keys)
                {
                    keys.Add(context.Request.Headers["Idempotency-Key"] ?? "");
                    seen = keys.Count;
                }

                if (seen <= hangFirst)
                {
                    continue;
                }

                Interlocked.Increment(ref answered);
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }
    }
}
