using System.Text;
using System.Text.Json.Nodes;
using Keelson.Server.Streams;

namespace Keelson.Server.Tests.Streams;

/// <summary><see cref="LiveFeed"/>: a tenant's subscribers get its messages, every-tenant subscribers all of the mode's, a slow one is dropped.</summary>
public sealed class LiveFeedTests
{
    [Fact]
    public void A_message_reaches_its_tenant_s_and_every_tenant_subscribers_of_its_mode_only_encoded_once()
    {
        var feed = new LiveFeed();
        using var alpha = feed.Subscribe(demo: true, "alpha", 8);
        using var beta = feed.Subscribe(demo: true, "beta", 8);
        using var everyone = feed.Subscribe(demo: true, null, 8);
        using var production = feed.Subscribe(demo: false, null, 8);

        feed.Publish(true, "alpha", new JsonObject { ["n"] = 1 });
        feed.Publish(true, "beta", new JsonObject { ["n"] = 2 });

        Assert.Equal(["{\"n\":1}"], Drain(alpha));
        Assert.Equal(["{\"n\":2}"], Drain(beta));
        Assert.Equal(["{\"n\":1}", "{\"n\":2}"], Drain(everyone));
        Assert.Empty(Drain(production));
        Assert.Equal(["alpha", "beta"], feed.Tenants(true));
        Assert.Empty(feed.Tenants(false));
    }

    [Fact]
    public void A_subscriber_that_falls_behind_is_dropped_and_the_others_go_on()
    {
        var feed = new LiveFeed();
        using var slow = feed.Subscribe(demo: true, "alpha", 2);
        using var fast = feed.Subscribe(demo: true, "alpha", 8);
        for (var n = 0; n < 3; n++)
        {
            feed.Publish(true, "alpha", new JsonObject { ["n"] = n });
        }

        Assert.True(slow.Dropped);
        Assert.False(fast.Dropped);
        Assert.Equal(3, Drain(fast).Count);
        Assert.Equal(1, feed.Count);
        Assert.False(feed.Wanted(true, "beta"));
        fast.Dispose();
        Assert.Equal(0, feed.Count);
        Assert.False(feed.Wanted(true, "alpha"));
    }

    private static List<string> Drain(LiveSubscriber subscriber)
    {
        var messages = new List<string>();
        while (subscriber.Messages.TryRead(out var message))
        {
            messages.Add(Encoding.UTF8.GetString(message));
        }

        return messages;
    }
}
