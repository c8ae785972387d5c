using CsCheck;
using Keelson.Spec.Model;
using Keelson.Spec.Parsing;
using Keelson.Testing;

namespace Keelson.Planning.Tests;

/// <summary>
/// docs/sizing.md §9: raising one component's load, with everything else fixed and AI services on <c>device: auto</c>,
/// never lowers the all-together monthly cost (nor the on-demand cost where no device changes) and never turns a plan
/// that does not fit its pools into one that does; and an auto device is always the cheapest whole plan, so it changes
/// only where that changes.
/// </summary>
public sealed class MonotonicityTests
{
    /// <summary>Every component kind, AI services by sessions and by arrivals, services and models by rate and by replicas.</summary>
    private const string EveryKind = """
        metadata: {tenant: every-kind}
        sla: {availability: 99.95%, responseTime: 150ms}
        cluster: {profile: aws-gpu}
        cost: {spotShare: 0.5, reservedShare: 0.3, scaleDown: {weekdayFrom: 20, weekdayTo: 8, weekends: true}}
        components:
          - {name: callbot, kind: ai-service, service: callbot, sessions: 30}
          - {name: chat, kind: ai-service, service: chatbot, arrivalsPerHour: 400, handleTimeSeconds: 240}
          - {name: voice, kind: ai-service, service: tts, sessions: 20}
          - {name: api, kind: service, image: example.com/api:1, requestsPerSecond: 300, requestsPerSecondPerReplica: 100}
          - {name: web, kind: service, image: example.com/web:1, replicas: 3, autoscaling: {minReplicas: 2, maxReplicas: 8}}
          - {name: scorer, kind: model, modelUri: "s3://m/model.onnx", requestsPerSecond: 200, requestsPerSecondPerReplica: 50}
          - {name: ranker, kind: model, modelUri: "s3://m/rank.onnx", device: T4, replicas: 2}
          - {name: mail, kind: worker, image: example.com/mail:1, queue: {name: mail, type: redis, targetPerReplica: 10, peakLength: 40}}
          - {name: export, kind: job, image: example.com/export:1, parallelism: 2, completions: 4}
          - {name: nightly, kind: cronjob, image: example.com/nightly:1, schedule: "0 3 * * *"}
          - {name: db, kind: database, storage: {size: 20Gi}}
          - {name: cache, kind: cache, storage: {size: 5Gi}}
          - {name: events, kind: broker, brokers: 3, storage: {size: 50Gi}}
          - {name: etl, kind: spark, image: example.com/etl:1, mainApplicationFile: "local:///app.py", driver: {cores: 1, memory: 2Gi}, executor: {cores: 2, memory: 4Gi}, executors: 2}
        """;

    private static readonly int[] Levels = [1, 5, 22, 26, 60, 150, 400];

    public static TheoryData<string> Stacks() => [.. Repo.Examples.Select(p => Path.GetFileName(p)!).Append("every-kind")];

    private static StackSpec Load(string name)
    {
        var yaml = name == "every-kind" ? EveryKind : File.ReadAllText(Repo.File("examples", name));
        var parsed = StackParser.Parse(yaml, name);
        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Diagnostics));
        return parsed.Value!;
    }

    [Fact]
    public void The_every_kind_stack_has_every_kind()
    {
        var kinds = Load("every-kind").Components.Select(c => c.Kind).ToHashSet();

        Assert.Equal(["ai-service", "broker", "cache", "cronjob", "database", "job", "model", "service", "spark", "worker"], kinds.Order());
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Raising_any_components_load_one_step_at_a_time_never_lowers_the_bill(string stack)
    {
        var spec = Load(stack);
        for (var i = 0; i < spec.Components.Count; i++)
        {
            PlanResult? previous = null;
            for (var level = 1; level <= 40; level++)
            {
                var current = Planner.Default.Plan(LoadKnob.At(spec, i, level));
                AssertNotCheaper(previous, current, $"{stack}: {spec.Components[i].Name} at {level - 1} -> {level}");
                previous = current;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void Raising_any_components_load_by_any_amount_never_lowers_the_bill(string stack)
    {
        var spec = Load(stack);
        Gen.Int[0, spec.Components.Count - 1].Select(Gen.Int[1, 600], Gen.Int[0, 300]).Sample((i, level, more) =>
        {
            var low = Planner.Default.Plan(LoadKnob.At(spec, i, level));
            var high = Planner.Default.Plan(LoadKnob.At(spec, i, level + more));
            AssertNotCheaper(low, high, $"{stack}: {spec.Components[i].Name} at {level} -> {level + more}");
        }, iter: 60);
    }

    [Theory]
    [MemberData(nameof(Stacks))]
    public void An_auto_device_is_the_cheapest_whole_plan_and_cpu_wins_ties(string stack)
    {
        // The documented rule, the only reason the device may change as load rises: pinning the component to any
        // device it could run on never gives a cheaper plan, and an equal one only on a device later in the order.
        var spec = Load(stack);
        List<string> order = ["cpu", .. Enum.GetNames<GpuType>()];
        for (var i = 0; i < spec.Components.Count; i++)
        {
            if (spec.Components[i] is not AiServiceComponent { Device.Kind: DeviceKind.Auto } ai)
            {
                continue;
            }

            foreach (var level in Levels)
            {
                var auto = Planner.Default.Plan(LoadKnob.At(spec, i, level));
                if (!auto.Succeeded)
                {
                    continue;
                }

                var chosen = auto.Plan!.Components[i].Device;
                foreach (var device in order)
                {
                    var pinned = LoadKnob.At(spec, i, level);
                    var choice = device == "cpu" ? DeviceChoice.Cpu : new DeviceChoice(DeviceKind.Gpu, Enum.Parse<GpuType>(device));
                    pinned = pinned with { Components = [.. pinned.Components.Select((c, j) => j == i ? ((AiServiceComponent)c) with { Device = choice } : c)] };
                    var other = Planner.Default.Plan(pinned);
                    if (!other.Succeeded)
                    {
                        continue;
                    }

                    var what = $"{stack}: {ai.Name} at {level} on {chosen} ${auto.Plan.Cost.OptimisedUsd} vs {device} ${other.Plan!.Cost.OptimisedUsd}";
                    Assert.True(auto.Plan.Cost.OptimisedUsd <= other.Plan.Cost.OptimisedUsd, what);
                    if (auto.Plan.Cost.OptimisedUsd == other.Plan.Cost.OptimisedUsd)
                    {
                        Assert.True(auto.Plan.Cost.OnDemandUsd <= other.Plan.Cost.OnDemandUsd, "equal all together: " + what);
                    }

                    if (auto.Plan.Cost.OnDemandUsd == other.Plan.Cost.OnDemandUsd && auto.Plan.Cost.OptimisedUsd == other.Plan.Cost.OptimisedUsd)
                    {
                        Assert.True(order.IndexOf(chosen) <= order.IndexOf(device), "tie: " + what);
                    }
                }
            }
        }
    }

    private static void AssertNotCheaper(PlanResult? low, PlanResult high, string what)
    {
        if (low is null)
        {
            return;
        }

        if (!low.Succeeded)
        {
            Assert.False(high.Succeeded, $"{what}: fits its pools with more load but not with less");
            return;
        }

        // More load may outgrow a pool (KP002); it must never make a plan that did not fit fit.
        if (!high.Succeeded)
        {
            Assert.All(high.Problems, p => Assert.Equal("KP002", p.Code));
            return;
        }

        Assert.True(high.Plan!.Cost.OptimisedUsd >= low.Plan!.Cost.OptimisedUsd, $"{what}: all together ${low.Plan.Cost.OptimisedUsd} -> ${high.Plan.Cost.OptimisedUsd}");

        // The device is chosen on the all-together cost, so on-demand cost is compared where no device changed (and
        // it is the same number when the stack sets no spot, reserved or scale-down options).
        var noOptions = low.Plan.Spec.Cost is { SpotShare: 0, ReservedShare: 0 } && low.Plan.Spec.Cost.ScaleDown.OffPeakFraction == 0;
        if (noOptions || low.Plan.Components.Select(c => c.Device).SequenceEqual(high.Plan.Components.Select(c => c.Device)))
        {
            Assert.True(high.Plan.Cost.OnDemandUsd >= low.Plan.Cost.OnDemandUsd, $"{what}: on demand ${low.Plan.Cost.OnDemandUsd} -> ${high.Plan.Cost.OnDemandUsd}");
        }
    }
}
