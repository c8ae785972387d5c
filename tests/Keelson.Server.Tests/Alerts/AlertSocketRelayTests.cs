using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Keelson.Server.Tests.Monitoring;
using Keelson.Testing;

namespace Keelson.Server.Tests.Alerts;

/// <summary>
/// <c>/ws/alerts</c> across two replicas on one PostgreSQL database and a real redis-server of this class's own (so the
/// test can stop it): a rule evaluated by one replica and its delivery reach a socket on each replica exactly once,
/// with nothing the socket would not send; with Redis stopped, the evaluating replica's own socket still hears it.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class AlertSocketRelayTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string Tenant = "relay-alerts";
    private readonly string directory = Directory.CreateTempSubdirectory("keelson-alert-relay-").FullName;
    private readonly DateTimeOffset t0 = new(DateTimeOffset.UtcNow.AddHours(-1).UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
    private readonly RedisServer redis = new();
    private WebhookSink sink = null!;

    public async Task InitializeAsync()
    {
        sink = await WebhookSink.StartAsync();
        await redis.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await sink.DisposeAsync();
        await redis.DisposeAsync();
        ApiFactory.DeleteDirectory(directory);
    }

    [Fact]
    public async Task A_rule_evaluated_on_one_replica_reaches_alert_sockets_on_both_once_and_its_own_without_Redis()
    {
        var database = await postgres.CreateDatabaseAsync();
        var clock = new VirtualClock(t0.AddMinutes(-1));
        await using var a = Replica("a", clock, database);
        await using var b = Replica("b", clock, database);
        _ = (a.Server, b.Server);
        await a.CreateTenantAsync(Tenant);

        // Hot for two minutes from t0, cold for one, hot again.
        await b.PushAsync(Tenant, "cpu_usage", t0, TimeSpan.FromMinutes(4), offset => offset < TimeSpan.FromMinutes(2) || offset >= TimeSpan.FromMinutes(3) ? 90 : 40);
        var rule = $$"""{"alert_name": "hot", "condition": "cpu_usage > 80", "duration": "0s", "severity": "critical", "actions": [{"type": "webhook", "url": "{{new Uri(sink.Url, "hook?token=s3cret").AbsoluteUri}}"}]}""";
        Assert.Equal(HttpStatusCode.Created, (await a.SendAsync(HttpMethod.Post, $"/api/v1/tenants/{Tenant}/alerts", rule)).Status);
        await AlertTestServer.WaitForEvaluationAsync([a, b], Tenant, t0.AddMinutes(-1));
        using var onA = await ConnectAsync(a);
        using var onB = await ConnectAsync(b);

        // Fires at t0, is delivered past group_wait, resolves at t0 + 2 min: all on the one replica holding the lease.
        await AlertTestServer.RunAsync(clock, [a, b], Tenant, t0.AddSeconds(-45), t0.AddMinutes(2));
        // One replica evaluated, so the other's socket can only have heard the rule through Redis.
        Assert.True(a.Evaluation.EvaluatedAt(true, Tenant) is null ^ b.Evaluation.EvaluatedAt(true, Tenant) is null);
        var seenOnA = await AlertSocketTests.ReadUntilAsync(onA, Resolved);
        var seenOnB = await AlertSocketTests.ReadUntilAsync(onB, Resolved);

        foreach (var seen in new[] { seenOnA, seenOnB })
        {
            Assert.Single(seen, m => AlertSocketTests.IsFiring(m, Tenant));
            Assert.Single(seen, m => m["type"]!.GetValue<string>() == "alert" && m["to"]!.GetValue<string>() == "inactive");
            var delivered = Assert.Single(seen, m => m["type"]!.GetValue<string>() == "notification" && m["notification"]!["status"]!.GetValue<string>() == "firing");
            Assert.Equal(("sent", 1), (delivered["notification"]!["state"]!.GetValue<string>(), delivered["notification"]!["attempts"]!.GetValue<int>()));
            Assert.DoesNotContain("s3cret", string.Concat(seen.Select(m => m.ToJsonString())), StringComparison.Ordinal);
        }

        // The relayed message is the one the evaluating replica's socket sent, field for field.
        Assert.True(JsonNode.DeepEquals(seenOnA.First(m => AlertSocketTests.IsFiring(m, Tenant)), seenOnB.First(m => AlertSocketTests.IsFiring(m, Tenant))));

        // Without Redis the rule fires again at t0 + 3 min, and the replica evaluating it still tells its own socket.
        await redis.DisposeAsync();
        await AlertTestServer.RunAsync(clock, [a, b], Tenant, t0.AddMinutes(2).AddSeconds(15), t0.AddMinutes(3));
        var firingAgain = a.Evaluation.EvaluatedAt(true, Tenant) >= t0.AddMinutes(3) ? onA : onB;
        var again = await AlertSocketTests.ReadUntilAsync(firingAgain, seen => seen.Any(m => AlertSocketTests.IsFiring(m, Tenant)));
        Assert.Equal(Iso(t0.AddMinutes(3)), again.First(m => AlertSocketTests.IsFiring(m, Tenant))["at"]!.GetValue<string>());
    }

    private static bool Resolved(List<JsonObject> seen) =>
        seen.Any(m => m["type"]!.GetValue<string>() == "alert" && m["to"]!.GetValue<string>() == "inactive")
        && seen.Any(m => m["type"]!.GetValue<string>() == "notification" && m["notification"]!["status"]!.GetValue<string>() == "firing");

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<WebSocket> ConnectAsync(AlertTestServer server)
    {
        var socket = await server.Server.CreateWebSocketClient().ConnectAsync(new Uri(server.Server.BaseAddress, "ws/alerts"), CancellationToken.None);
        Assert.Equal("subscribed", (await MonitoringSocketTests.ReceiveAsync(socket))!["type"]!.GetValue<string>());
        return socket;
    }

    private AlertTestServer Replica(string name, VirtualClock clock, string database) =>
        new(Path.Combine(directory, name), clock, ("ConnectionStrings:Demo", database), ("ConnectionStrings:Redis", redis.Connection));
}
