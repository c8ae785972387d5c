using System.Text;
using System.Text.Json.Nodes;
using Keelson.Server.Streams;
using Keelson.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Keelson.Server.Tests.Streams;

/// <summary>
/// <see cref="LiveFeed.RelayThrough"/> on a real Redis: two feeds standing for two replicas, each on its own connection,
/// hand each other their messages once each and in order, in their own mode and tenant only.
/// </summary>
[Collection(RedisTests.Name)]
public sealed class LiveFeedRelayTests(RedisServer redis)
{
    private const int Messages = 200;

    [Fact]
    public async Task Each_replica_s_subscribers_get_every_message_once_in_the_publisher_s_order()
    {
        // A channel of this test's own: servers of other tests relay on the shared Redis too.
        var channel = $"keelson:test:{Guid.NewGuid():N}";
        await using var redisA = await ConnectionMultiplexer.ConnectAsync(redis.Connection);
        await using var redisB = await ConnectionMultiplexer.ConnectAsync(redis.Connection);
        var (a, b) = (new LiveFeed(), new LiveFeed());
        using var relayA = a.RelayThrough(redisA.GetSubscriber(), channel, "test messages", NullLogger.Instance);
        using var relayB = b.RelayThrough(redisB.GetSubscriber(), channel, "test messages", NullLogger.Instance);
        using var onA = a.Subscribe(demo: true, null, Messages * 2);
        using var onB = b.Subscribe(demo: true, "alpha", Messages * 2);
        using var otherTenantOnB = b.Subscribe(demo: true, "beta", Messages * 2);
        using var productionOnB = b.Subscribe(demo: false, null, Messages * 2);

        for (var n = 0; n < Messages; n++)
        {
            a.Publish(true, "alpha", new JsonObject { ["n"] = n });
        }

        var received = await ReadAsync(onB, Messages);

        // Redis hands a channel's messages to every subscriber in the order it took them, so once A has B's marker
        // it would have had any echo of its own messages before it.
        b.Publish(true, "alpha", new JsonObject { ["marker"] = true });
        var heardOnA = await ReadAsync(onA, Messages + 1);

        var expected = Enumerable.Range(0, Messages).Select(n => $$"""{"n":{{n}}}""").ToList();
        Assert.Equal(expected, received);
        Assert.Equal([.. expected, """{"marker":true}"""], heardOnA);
        Assert.Equal(["""{"marker":true}"""], await ReadAsync(onB, 1));
        Assert.False(onA.Messages.TryRead(out _), "A replica heard its own message again through Redis.");
        Assert.False(otherTenantOnB.Messages.TryRead(out _), "A message of tenant alpha reached a subscriber of beta.");
        Assert.False(productionOnB.Messages.TryRead(out _), "A demo message reached a production subscriber.");
        Assert.True(a.Wanted(true, "nobody-here"), "A relayed feed cannot know that no other replica follows a tenant.");
    }

    private static async Task<List<string>> ReadAsync(LiveSubscriber subscriber, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var messages = new List<string>();
        while (messages.Count < count)
        {
            messages.Add(Encoding.UTF8.GetString(await subscriber.Messages.ReadAsync(timeout.Token)));
        }

        return messages;
    }
}
