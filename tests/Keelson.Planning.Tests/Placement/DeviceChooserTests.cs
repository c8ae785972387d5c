using System.Globalization;
using Keelson.Spec.Parsing;

namespace Keelson.Planning.Tests.Placement;

/// <summary>The cases of issue 11: device: auto compared device prices without the nodes the rest of the plan pays for.</summary>
public sealed class DeviceChooserTests
{
    private static readonly string[] Devices = ["cpu", "T4", "V100", "L40S"];
    private static readonly string[] Services = ["callbot", "tts", "chatbot"];
    private static readonly int[] Sessions = [1, 30, 100, 400, 1500];

    private static Plan Alone(string service, int sessions, string device = "auto")
    {
        var result = Attempt(service, sessions, device);
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        return result.Plan!;
    }

    private static PlanResult Attempt(string service, int sessions, string device)
    {
        var yaml = string.Create(CultureInfo.InvariantCulture, $$"""
            metadata: {tenant: t}
            sla: {availability: 99.95%, responseTime: 150ms}
            cluster: {profile: aws-gpu}
            components:
              - {name: {{service}}, kind: ai-service, service: {{service}}, sessions: {{sessions}}, device: {{device}}}
            """);
        return Planner.Default.Plan(StackParser.Parse(yaml, "s.yaml").Value!);
    }

    [Fact]
    public void A_callbot_at_22_sessions_stays_on_cpu_because_the_general_pool_is_paid_for_anyway()
    {
        // CPU: 22 / (6 × 0.6) → 7 + 2 spare = 9 replicas, 5 m6i.2xlarge; ingress 2 × $0.17, control plane $73:
        // (5 × 0.384 + 2 × 0.17) × 730 + 73 = $1,722.80. T4: 3 g4dn.xlarge on top of the general pool's 2-node
        // minimum: (3 × 0.526 + 2 × 0.384 + 2 × 0.17) × 730 + 73 = $2,033.78. The old per-device price saw $1.92/h vs $1.58/h.
        var plan = Alone("callbot", 22);

        Assert.Equal("cpu", plan.Components[0].Device);
        Assert.Equal(1722.80, plan.Cost.OnDemandUsd);
        Assert.Equal(2033.78, Alone("callbot", 22, "T4").Cost.OnDemandUsd);
        Assert.Contains("cheapest whole plan on cpu $1,722.80/month, T4 $2,033.78/month", plan.Components[0].Rationale, StringComparison.Ordinal);
    }

    [Fact]
    public void Tts_from_24_to_43_sessions_never_gets_cheaper_and_never_changes_device()
    {
        // The issue saw $3,569.70 at 25 (T4) and $3,124.40 at 26 (CPU), and nine device changes in this range.
        var plans = Enumerable.Range(24, 20).Select(s => Alone("tts", s)).ToList();

        Assert.All(plans, p => Assert.Equal("cpu", p.Components[0].Device));
        Assert.All(plans.Zip(plans.Skip(1)), pair => Assert.True(pair.Second.Cost.OnDemandUsd >= pair.First.Cost.OnDemandUsd));
        Assert.Equal(3124.40, plans[25 - 24].Cost.OnDemandUsd);
    }

    [Fact]
    public void An_auto_device_costs_the_least_of_the_devices_it_could_be_pinned_to()
    {
        foreach (var sessions in Sessions)
        {
            foreach (var service in Services)
            {
                var auto = Attempt(service, sessions, "auto");

                // A pinned device may not fit the cluster (1,500 callbot sessions on CPU outgrow the general pool);
                // when none fits, neither does auto (1,500 tts sessions).
                var pinned = Devices.Select(d => Attempt(service, sessions, d)).Where(r => r.Succeeded).ToList();
                Assert.Equal(pinned.Count > 0, auto.Succeeded);
                if (auto.Succeeded)
                {
                    Assert.Equal(pinned.Min(p => p.Plan!.Cost.OptimisedUsd), auto.Plan!.Cost.OptimisedUsd);
                }
            }
        }
    }

    [Fact]
    public void On_equal_cost_cpu_wins()
    {
        // One chatbot replica pair serves 1 session on CPU or on a T4; with a custom cluster whose GPU node costs the
        // same as the CPU nodes the GPU choice adds, the tie goes to CPU.
        var yaml = """
            metadata: {tenant: t}
            sla: {availability: 99%}
            cluster:
              name: even
              pools:
                - {name: general, role: worker, instance: {name: w, vcpu: 8, memory: 32Gi, prices: {onDemand: 1.0}}, minNodes: 0, maxNodes: 10}
                - {name: gpu, role: gpu, instance: {name: g, vcpu: 8, memory: 32Gi, gpus: 1, gpuType: T4, prices: {onDemand: 1.0}}, minNodes: 0, maxNodes: 10}
            components:
              - {name: bot, kind: ai-service, service: chatbot, sessions: 1}
            """;
        var plan = Planner.Default.Plan(StackParser.Parse(yaml, "s.yaml").Value!).Plan!;

        // CPU: 2 replicas of 2 cores on two nodes (99 %: two nodes so that a drain keeps one); T4: 2 replicas, 2 nodes.
        Assert.Equal("cpu", plan.Components[0].Device);
        Assert.Contains("cpu $1,460.00/month, T4 $1,460.00/month", plan.Components[0].Rationale, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tts", 40, 100)]
    [InlineData("callbot", 30, 70)]
    public void The_device_changes_only_where_the_previous_one_became_dearer(string service, int from, int to)
    {
        // The documented rule allows no other change: no hysteresis, because keeping a dearer device either lets the
        // bill fall when it is finally left or overpays without bound (docs/sizing.md §9).
        var order = Devices.ToList();
        var previous = Alone(service, from);
        for (var sessions = from + 1; sessions <= to; sessions++)
        {
            var plan = Alone(service, sessions);
            var (was, now) = (previous.Components[0].Device, plan.Components[0].Device);
            if (was != now)
            {
                var kept = Alone(service, sessions, was).Cost;
                var what = $"{service} {sessions - 1} -> {sessions}: {was} -> {now}, ${kept.OptimisedUsd} kept vs ${plan.Cost.OptimisedUsd}";
                Assert.True(
                    kept.OptimisedUsd > plan.Cost.OptimisedUsd
                    || (kept.OptimisedUsd == plan.Cost.OptimisedUsd && (kept.OnDemandUsd > plan.Cost.OnDemandUsd || (kept.OnDemandUsd == plan.Cost.OnDemandUsd && order.IndexOf(now) < order.IndexOf(was)))),
                    what);
            }

            previous = plan;
        }
    }

    [Fact]
    public void A_near_tie_is_pointed_out_in_the_rationale()
    {
        // tts alone at 55 sessions: 13 T4 nodes beside the general pool's 2 idle ones ($5,873.58) against 39 CPU replicas on 20 nodes ($5,927.60).
        var rationale = Alone("tts", 55).Components[0].Rationale;

        Assert.Contains("(within 5%: a small change in load may switch device; pin device to keep one)", rationale, StringComparison.Ordinal);
        Assert.DoesNotContain("within 5%", Alone("tts", 20).Components[0].Rationale, StringComparison.Ordinal);
    }

    [Fact]
    public void Past_4096_combinations_one_service_at_a_time_still_beats_every_uniform_choice_and_is_deterministic()
    {
        // Seven auto services with four devices each: 16,384 combinations, so the chooser improves one at a time.
        static string Stack(string device) => string.Create(CultureInfo.InvariantCulture, $$"""
            metadata: {tenant: t}
            sla: {availability: 99.95%, responseTime: 150ms}
            cluster: {profile: aws-gpu}
            components:
            {{string.Join("\n", Enumerable.Range(1, 7).Select(i => $"  - {{name: s{i}, kind: ai-service, service: {(i % 2 == 0 ? "tts" : "callbot")}, sessions: {i * 9}, device: {device}}}"))}}
            """);
        static PlanResult Plan(string device) => Planner.Default.Plan(StackParser.Parse(Stack(device), "s.yaml").Value!);

        var auto = Plan("auto");
        Assert.True(auto.Succeeded, string.Join("\n", auto.Problems));
        Assert.Equal(auto.Plan!.Components.Select(c => c.Device), Plan("auto").Plan!.Components.Select(c => c.Device));
        foreach (var device in Devices)
        {
            var uniform = Plan(device);
            Assert.True(!uniform.Succeeded || auto.Plan.Cost.OptimisedUsd <= uniform.Plan!.Cost.OptimisedUsd, device);
        }
    }
}
