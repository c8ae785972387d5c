using System.Collections.Concurrent;
using Keelson.Operations.Deployments;
using Keelson.Operations.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Deployments;

public sealed class DeploymentEventsTests
{
    private static DeploymentEvent Line(string deployment, string message) =>
        new(deployment, new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero), DeploymentStepName.Workloads, "Deployment/acme/chatbot", message);

    [Fact]
    public void In_one_process_a_line_reaches_the_deployment_s_subscribers_until_they_unsubscribe()
    {
        var events = new DeploymentEvents();
        var seen = new List<string>();
        var other = new List<string>();
        using (events.Subscribe("d1", e => seen.Add(e.Message)))
        using (events.Subscribe("d2", e => other.Add(e.Message)))
        {
            events.Publish(Line("d1", "applied"));
        }

        events.Publish(Line("d1", "after"));

        Assert.Equal(["applied"], seen);
        Assert.Empty(other);
    }

    [Fact]
    public async Task A_redis_that_does_not_answer_leaves_lines_on_this_replica()
    {
        var options = ConfigurationOptions.Parse("127.0.0.1:9");
        options.AbortOnConnectFail = false;
        options.ConnectTimeout = 200;
        await using var nowhere = await ConnectionMultiplexer.ConnectAsync(options);
        var events = new DeploymentEvents(nowhere.GetSubscriber(), NullLogger<DeploymentEvents>.Instance);
        var seen = new List<string>();
        using var subscription = events.Subscribe("d1", e => seen.Add(e.Message));

        events.Publish(Line("d1", "applied"));

        Assert.Equal(["applied"], seen);
    }
}

/// <summary>Two replicas, one Redis: the stream on one sees the other's lines.</summary>
[Collection(RedisTests.Name)]
public sealed class RedisDeploymentEventsTests(RedisServer redis) : IAsyncLifetime
{
    private ConnectionMultiplexer first = null!;
    private ConnectionMultiplexer second = null!;

    public async Task InitializeAsync()
    {
        first = await ConnectionMultiplexer.ConnectAsync(redis.Connection);
        second = await ConnectionMultiplexer.ConnectAsync(redis.Connection);
    }

    public async Task DisposeAsync()
    {
        await first.DisposeAsync();
        await second.DisposeAsync();
    }

    [Fact]
    public async Task A_line_published_on_one_replica_reaches_subscribers_on_both_once_and_in_order()
    {
        var running = new DeploymentEvents(first.GetSubscriber(), NullLogger<DeploymentEvents>.Instance);
        var streaming = new DeploymentEvents(second.GetSubscriber(), NullLogger<DeploymentEvents>.Instance);
        var here = new ConcurrentQueue<DeploymentEvent>();
        var there = new ConcurrentQueue<DeploymentEvent>();
        using var local = running.Subscribe("d1", here.Enqueue);
        using var remote = streaming.Subscribe("d1", there.Enqueue);
        // Collected rather than failed inside the handler: Redis calls handlers on its own threads, where a throw fails nothing.
        var strays = new ConcurrentQueue<DeploymentEvent>();
        using var unrelated = streaming.Subscribe("d2", strays.Enqueue);
        await first.GetSubscriber().PingAsync();
        await second.GetSubscriber().PingAsync();

        var sent = Enumerable.Range(1, 200).Select(i => new DeploymentEvent("d1", DateTimeOffset.UnixEpoch.AddSeconds(i), DeploymentStepName.Verify, null, $"line {i}")).ToList();
        foreach (var line in sent)
        {
            running.Publish(line);
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((here.Count < sent.Count || there.Count < sent.Count) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await Task.Delay(200);
        Assert.Equal(sent, there);
        Assert.Equal(sent, here);
        Assert.Empty(strays);
    }
}
