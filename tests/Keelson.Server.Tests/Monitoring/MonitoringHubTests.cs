using System.Text.Json.Nodes;
using Keelson.Operations.Monitoring;
using Keelson.Server.Monitoring;

namespace Keelson.Server.Tests.Monitoring;

public sealed class MonitoringHubTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 15, 10, 30, 0, TimeSpan.Zero);

    [Fact]
    public void A_subscriber_that_falls_behind_is_dropped_and_the_others_go_on()
    {
        var hub = new MonitoringHub();
        using var slow = hub.Subscribe(demo: true, "shop", capacity: 2);
        using var fast = hub.Subscribe(demo: true, "shop", capacity: 2);

        for (var i = 0; i < 3; i++)
        {
            hub.Publish(true, [MetricSample.Of("shop", "cpu_usage", i, Now.AddSeconds(i))]);
            if (i < 2)
            {
                Assert.True(fast.Messages.TryRead(out _));
            }
        }

        Assert.True(slow.Dropped);
        Assert.False(fast.Dropped);
        Assert.Equal(1, hub.Count);
        Assert.True(slow.Messages.TryRead(out _));
        Assert.True(slow.Messages.TryRead(out _));
        Assert.False(slow.Messages.TryRead(out _));
        Assert.True(slow.Messages.Completion.IsCompleted);
    }

    [Fact]
    public void Subscribers_get_their_tenant_mode_and_metrics_only_with_types_at_the_top_level()
    {
        var hub = new MonitoringHub();
        using var cpuOnly = hub.Subscribe(demo: true, "shop", capacity: 8);
        using var production = hub.Subscribe(demo: false, "shop", capacity: 8);
        cpuOnly.Select(["cpu"], active: true);

        hub.Publish(true, [MetricSample.Of("shop", "cpu_usage", 65.5, Now), MetricSample.Of("shop", "memory_usage", 78.2, Now), MetricSample.Of("bank", "cpu_usage", 1, Now)]);

        Assert.True(cpuOnly.Messages.TryRead(out var bytes));
        var message = JsonNode.Parse(bytes)!;
        Assert.Equal(65.5, message!["cpu"]!.GetValue<double>());
        Assert.Equal(65.5, message["metrics"]!["cpu_usage"]!.GetValue<double>());
        Assert.Null(message["memory"]);
        Assert.Equal("shop", message["tenant_id"]!.GetValue<string>());
        Assert.False(cpuOnly.Messages.TryRead(out _));
        Assert.False(production.Messages.TryRead(out _));

        cpuOnly.Select([], active: false);
        hub.Publish(true, [MetricSample.Of("shop", "cpu_usage", 1, Now.AddSeconds(1))]);
        Assert.False(cpuOnly.Messages.TryRead(out _));
    }

    [Fact]
    public void Subscribers_that_chose_alike_share_one_encoding_and_other_tenants_are_not_touched()
    {
        var hub = new MonitoringHub();
        using var first = hub.Subscribe(demo: true, "shop", capacity: 8);
        using var second = hub.Subscribe(demo: true, "shop", capacity: 8);
        using var memory = hub.Subscribe(demo: true, "shop", capacity: 8);
        using var bank = hub.Subscribe(demo: true, "bank", capacity: 8);
        memory.Select(["memory"], active: true);

        hub.Publish(true, [MetricSample.Of("shop", "cpu_usage", 1, Now), MetricSample.Of("shop", "memory_usage", 2, Now)]);

        Assert.True(first.Messages.TryRead(out var a));
        Assert.True(second.Messages.TryRead(out var b));
        Assert.True(memory.Messages.TryRead(out var c));
        Assert.Same(a, b);
        Assert.NotSame(a, c);
        Assert.Equal(1.0, JsonNode.Parse(a)!["cpu"]!.GetValue<double>());
        Assert.Null(JsonNode.Parse(c)!["cpu"]);
        Assert.False(bank.Messages.TryRead(out _));

        first.Dispose();
        Assert.Equal(3, hub.Count);
    }
}
