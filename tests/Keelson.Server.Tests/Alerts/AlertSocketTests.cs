using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Keelson.Server.Tests.Api;
using Keelson.Server.Tests.Monitoring;

namespace Keelson.Server.Tests.Alerts;

/// <summary>
/// <c>/ws/alerts</c> on a virtual clock: a rule that fires and the webhook delivery it causes arrive as messages, an admin
/// sees every tenant's, a tenant key only its own, and a key is refused another tenant.
/// </summary>
public sealed class AlertSocketTests : IAsyncLifetime
{
    private static readonly string[] Tenants = ["al-a", "al-b"];
    private readonly string directory = Directory.CreateTempSubdirectory("keelson-alert-ws-").FullName;
    private readonly DateTimeOffset t0 = new(DateTimeOffset.UtcNow.AddHours(-1).UtcTicks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, TimeSpan.Zero);
    private WebhookSink sink = null!;

    public async Task InitializeAsync() => sink = await WebhookSink.StartAsync();

    public async Task DisposeAsync()
    {
        await sink.DisposeAsync();
        ApiFactory.DeleteDirectory(directory);
    }

    [Fact]
    public async Task A_firing_rule_and_its_delivery_are_pushed_to_the_keys_that_may_see_its_tenant()
    {
        var clock = new VirtualClock(t0.AddMinutes(-1));
        await using var server = new AlertTestServer(directory, clock, ("Keelson:TenantKeys:al-key-a", "al-a"));
        foreach (var tenant in Tenants)
        {
            await server.CreateTenantAsync(tenant);
            await server.PushAsync(tenant, "cpu_usage", t0, TimeSpan.FromMinutes(2), _ => 90);
            var rule = $$"""{"alert_name": "hot", "condition": "cpu_usage > 80", "duration": "0s", "severity": "critical", "actions": [{"type": "webhook", "url": "{{new Uri(sink.Url, "hook?token=s3cret").AbsoluteUri}}"}]}""";
            Assert.Equal(System.Net.HttpStatusCode.Created, (await server.SendAsync(HttpMethod.Post, $"/api/v1/tenants/{tenant}/alerts", rule)).Status);
            await AlertTestServer.WaitForEvaluationAsync([server], tenant, t0.AddMinutes(-1));
        }

        var ws = server.Server.CreateWebSocketClient();
        using var admin = await ws.ConnectAsync(new Uri(server.Server.BaseAddress, "ws/alerts"), CancellationToken.None);
        using var scoped = await ws.ConnectAsync(new Uri(server.Server.BaseAddress, "ws/alerts?api_key=al-key-a"), CancellationToken.None);
        var everyone = await MonitoringSocketTests.ReceiveAsync(admin);
        Assert.Equal(("subscribed", null), (everyone!["type"]!.GetValue<string>(), everyone["tenant_id"]));
        Assert.Equal("al-a", (await MonitoringSocketTests.ReceiveAsync(scoped))!["tenant_id"]!.GetValue<string>());
        await KeyedClusterSocketTests.AssertClosedAsync(await ws.ConnectAsync(new Uri(server.Server.BaseAddress, "ws/alerts?tenant=al-b&api_key=al-key-a"), CancellationToken.None),
            "may not access tenant 'al-b'", WebSocketCloseStatus.PolicyViolation);

        // Both rules fire at t0: the admin hears both, the tenant key only its own.
        clock.Set(t0);
        var adminSeen = await ReadUntilAsync(admin, seen => Tenants.All(t => seen.Any(m => IsFiring(m, t))));
        var scopedSeen = await ReadUntilAsync(scoped, seen => seen.Any(m => IsFiring(m, "al-a")));
        var fired = adminSeen.First(m => IsFiring(m, "al-a"));
        Assert.Equal(("hot", "inactive", 90.0, "critical"), (fired["rule_name"]!.GetValue<string>(), fired["from"]!.GetValue<string>(), fired["value"]!.GetValue<double>(), fired["labels"]!["severity"]!.GetValue<string>()));

        // Past group_wait the webhook is called; its outcome follows, naming the receiver without its secret query.
        clock.Set(t0.AddSeconds(45));
        scopedSeen.AddRange(await ReadUntilAsync(scoped, seen => seen.Any(m => m["type"]!.GetValue<string>() == "notification")));
        var delivered = scopedSeen.First(m => m["type"]!.GetValue<string>() == "notification")["notification"]!;
        Assert.Equal(("sent", "firing", 1), (delivered["state"]!.GetValue<string>(), delivered["status"]!.GetValue<string>(), delivered["attempts"]!.GetValue<int>()));
        Assert.NotEmpty(await sink.WaitForAsync(1, TimeSpan.FromSeconds(10)));
        await ReadUntilAsync(admin, seen => seen.Any(m => m["type"]!.GetValue<string>() == "notification" && m["tenant_id"]!.GetValue<string>() == "al-b"));
        Assert.All(scopedSeen, m => Assert.Equal("al-a", m["tenant_id"]!.GetValue<string>()));
        Assert.DoesNotContain("s3cret", string.Concat(scopedSeen.Select(m => m.ToJsonString())), StringComparison.Ordinal);
    }

    internal static bool IsFiring(JsonObject message, string tenant) =>
        message["type"]!.GetValue<string>() == "alert" && message["tenant_id"]!.GetValue<string>() == tenant && message["to"]!.GetValue<string>() == "firing";

    // Messages until the condition holds, for at most 20 s.
    internal static async Task<List<JsonObject>> ReadUntilAsync(WebSocket socket, Func<List<JsonObject>, bool> done)
    {
        var seen = new List<JsonObject>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!done(seen))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Not within 20 s; got: {string.Join(", ", seen.Select(m => m.ToJsonString()))}");
            seen.Add((await MonitoringSocketTests.ReceiveAsync(socket))!);
        }

        return seen;
    }
}
