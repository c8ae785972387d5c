using Keelson.Server.Tests.Api;
using Keelson.Testing;
using Microsoft.AspNetCore.Hosting;

namespace Keelson.Server.Tests.Monitoring;

/// <summary>Two replicas on one database and one real Redis: a push stored by one reaches a WebSocket client of the other.</summary>
[Collection(RedisTests.Name)]
public sealed class SampleRelayTests(RedisServer redis) : IDisposable
{
    private readonly string shared = Directory.CreateTempSubdirectory("keelson-metrics-relay-").FullName;

    [Fact]
    public async Task A_subscriber_on_one_replica_receives_samples_pushed_to_another_once()
    {
        using var streaming = new Replica(shared, redis.Connection);
        using var storing = new Replica(shared, redis.Connection);
        await MonitoringSocketTests.CreateTenantAsync(storing, "relay-metrics", key: null);
        using var socket = await streaming.Server.CreateWebSocketClient().ConnectAsync(new Uri(streaming.Server.BaseAddress, "ws/monitoring/relay-metrics"), CancellationToken.None);
        await MonitoringSocketTests.WaitSubscribedAsync(streaming, 1);

        await MonitoringSocketTests.PushAsync(storing, "relay-metrics", """{"metrics": {"cpu_usage": 12.5}}""", key: null);
        var message = await MonitoringSocketTests.ReceiveAsync(socket);
        await MonitoringSocketTests.PushAsync(storing, "relay-metrics", """{"metrics": {"cpu_usage": 13.5}}""", key: null);
        var next = await MonitoringSocketTests.ReceiveAsync(socket);

        Assert.Equal(12.5, message!["cpu"]!.GetValue<double>());
        Assert.Equal(13.5, next!["cpu"]!.GetValue<double>());
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(shared, recursive: true);
    }

    private sealed class Replica(string data, string redis) : ApiFactory
    {
        protected override void ConfigureSettings(IWebHostBuilder builder)
        {
            builder.UseSetting("Keelson:DataDirectory", data);
            builder.UseSetting("ConnectionStrings:Redis", redis);
        }
    }
}
