using System.Globalization;
using CsCheck;
using Keelson.Spec.Model;
using Keelson.Spec.Parsing;
using Keelson.Testing;

namespace Keelson.Planning.Tests;

public sealed class PlannerTests
{
    private static Plan PlanOf(string yaml)
    {
        var parsed = StackParser.Parse(yaml, "stack.yaml");
        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Diagnostics));
        var result = Planner.Default.Plan(parsed.Value!);
        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        return result.Plan!;
    }

    private static PlanResult Attempt(string yaml) => Planner.Default.Plan(StackParser.Parse(yaml, "stack.yaml").Value!);

    private static Plan Example(string name) =>
        Planner.Default.Plan(StackParser.Parse(File.ReadAllText(Repo.File("examples", name)), name).Value!).Plan!;

    private static string CallCenter(int callbot, int stt, string device = "auto") => string.Create(CultureInfo.InvariantCulture, $"""
        metadata: {"{"}tenant: cc{"}"}
        sla: {"{"}availability: 99.95%, responseTime: 150ms{"}"}
        cluster: {"{"}profile: aws-gpu{"}"}
        components:
          - {"{"}name: callbot, kind: ai-service, service: callbot, sessions: {callbot}, device: {device}{"}"}
          - {"{"}name: stt, kind: ai-service, service: stt, sessions: {stt}{"}"}
          - {"{"}name: db, kind: database, storage: {"{"}size: 10Gi{"}"}{"}"}
        """);

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public void Every_example_plans(string path)
    {
        var spec = StackParser.Parse(File.ReadAllText(path), path).Value!;

        var result = Planner.Default.Plan(spec);

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Equal(spec.Components.Count, result.Plan!.Components.Count);
        Assert.True(result.Plan.Cost.OnDemandUsd > 0);
        Assert.All(result.Plan.Pools, p => Assert.True(p.Nodes >= p.LowerBound && p.Nodes <= p.Pool.MaxNodes));
    }

    public static TheoryData<string> ExampleFiles() => [.. Repo.Examples];

    [Fact]
    public void Callbot_runs_on_the_device_that_is_cheapest_in_total()
    {
        // 150 ms target, 60 ms service time: 60 % utilisation target; 99.95 %: +2 spare, floor 3.
        // T4: ceil(100 / (50 × 0.6)) + 2 = 6 replicas, one g4dn.xlarge each: 6 × $0.526 × 730 = $2,303.88.
        // CPU: ceil(100 / (6 × 0.6)) + 2 = 30 replicas of 3 cores join stt's 13 and the database on the general pool,
        // two 3-core pods per m6i.2xlarge: 22 nodes instead of 7, 15 × $0.384 = $5.76/h more against $3.16/h of T4 nodes.
        var plan = PlanOf(CallCenter(100, 100));
        var callbot = plan.Components.Single(c => c.Name == "callbot");

        Assert.Equal("T4", callbot.Device);
        Assert.Equal("gpu-t4", callbot.Pool);
        Assert.Equal(0.6, callbot.TargetUtilisation);
        var w = Assert.Single(callbot.Workloads);
        Assert.Equal((3, 6, 12), (w.MinReplicas, w.Replicas, w.MaxReplicas));
        Assert.Contains("cheapest whole plan on cpu $", callbot.Rationale, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"T4 ${plan.Cost.OptimisedUsd:#,##0.00}/month"), callbot.Rationale, StringComparison.Ordinal);
    }

    [Fact]
    public void Small_tenants_stay_on_cpu_because_the_floor_makes_gpus_dear()
    {
        var plan = PlanOf(CallCenter(5, 10));

        Assert.Equal("cpu", plan.Components.Single(c => c.Name == "callbot").Device);
    }

    [Fact]
    public void Stt_replicas_by_hand()
    {
        // 100 ms service time at 150 ms: target 1 − 100/150 = 0.33, clamped to 0.5.
        // ceil(100 / (19 × 0.5)) = 11, + 2 spare = 13.
        var stt = PlanOf(CallCenter(100, 100)).Components.Single(c => c.Name == "stt");

        Assert.Equal(13, stt.Workloads[0].Replicas);
        Assert.Equal("general", stt.Pool);
    }

    [Fact]
    public void Erlang_c_sizes_sessions_from_arrivals()
    {
        var plan = PlanOf("""
            metadata: {tenant: t}
            sla: {availability: 99%}
            components:
              - name: bot
                kind: ai-service
                service: chatbot
                arrivalsPerHour: 200
                handleTimeSeconds: 180
                serviceLevel: {percent: 80, withinSeconds: 20}
            """);

        Assert.Equal(14, plan.Components[0].Sessions);
        Assert.Contains("Erlang C: 10 erlangs need 14 sessions", plan.Components[0].Rationale, StringComparison.Ordinal);
    }

    [Fact]
    public void Gpu_work_only_on_gpu_pools_and_nothing_else_there()
    {
        foreach (var path in Repo.Examples)
        {
            var plan = Example(Path.GetFileName(path));
            foreach (var c in plan.Components)
            {
                var pool = plan.Spec.Cluster.Pools.Single(p => p.Name == c.Pool);
                Assert.Equal(c.Gpus > 0, pool.Role == PoolRole.Gpu);
                Assert.True(c.Gpus == 0 || pool.Instance.Gpu.ToString() == c.Device, $"{c.Name} on {pool.Name} with device {c.Device}");
            }
        }
    }

    [Fact]
    public void Restaurant_keeps_the_seed_numbers()
    {
        var plan = Example("restaurant.yaml");
        var gateway = plan.Components.Single(c => c.Name == "gateway").Workloads[0];

        Assert.Equal((2, 3, 10), (gateway.MinReplicas, gateway.Replicas, gateway.MaxReplicas));
        Assert.Equal(("100m", "200m", "128Mi", "256Mi"), (gateway.Pod.CpuRequest.ToString(), gateway.Pod.CpuLimit.ToString(), gateway.Pod.MemoryRequest.ToString(), gateway.Pod.MemoryLimit.ToString()));
        Assert.Equal("1Gi", plan.Components.Single(c => c.Name == "user").Workloads[0].StoragePerReplica.ToString());
        Assert.Equal("2Gi", plan.Components.Single(c => c.Name == "iot").Workloads[0].StoragePerReplica.ToString());
        Assert.Equal((2, 5), (plan.Components.Single(c => c.Name == "iot").Workloads[0].MinReplicas, plan.Components.Single(c => c.Name == "iot").Workloads[0].MaxReplicas));
    }

    [Fact]
    public void Saga_has_redis_master_and_replica_and_kafka_with_zookeeper()
    {
        var plan = Example("saga-commerce.yaml");

        Assert.Equal(["redis-master", "redis-replica"], plan.Components.Single(c => c.Name == "redis").Workloads.Select(w => w.Name));
        Assert.Equal(["kafka", "kafka-zookeeper"], plan.Components.Single(c => c.Name == "kafka").Workloads.Select(w => w.Name));
        Assert.Equal(3, plan.Components.Single(c => c.Name == "nestjs").Workloads[0].Replicas);
    }

    [Fact]
    public void Quant_inference_runs_on_the_t4_pool()
    {
        var plan = Example("quant-platform.yaml");
        var inference = plan.Components.Single(c => c.Name == "inference");

        Assert.Equal(("gpu-t4", "T4"), (inference.Pool, inference.Device));
        Assert.All(plan.Components.Where(c => c.Name != "inference"), c => Assert.Equal("general", c.Pool));
    }

    [Fact]
    public void Call_center_preset_follows_the_anchor_thresholds()
    {
        // Channels = callbot 100 + advisor 50 + stt 100 + tts 100 = 350 (< 500), users = chatbot 200 (< 2,000).
        Assert.Equal("medium", Example("ai-call-center.yaml").Preset);
    }

    [Fact]
    public void Component_costs_add_up_to_the_pools_they_use()
    {
        var plan = Example("ai-call-center.yaml");
        var used = plan.Pools.Where(p => plan.Components.Any(c => c.Pool == p.Pool.Name)).Sum(p => p.MonthlyUsd);

        Assert.Equal(used, plan.Components.Sum(c => c.MonthlyUsd), precision: 0);
        Assert.Equal(plan.Pools.Sum(p => p.MonthlyUsd) + plan.Cost.ControlPlaneUsd, plan.Cost.OnDemandUsd, precision: 1);
    }

    [Fact]
    public void Pod_that_fits_no_node_is_a_located_problem()
    {
        var result = Attempt("""
            metadata: {tenant: t}
            components:
              - name: big
                kind: service
                image: example.com/big:1
                resources: {requests: {cpu: "12", memory: 8Gi}}
            """);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("KP001", "components[0]", 3, 5), (problem.Code, problem.Path, problem.Line, problem.Column));
        Assert.Contains("m6i.2xlarge", problem.Message, StringComparison.Ordinal);
        Assert.Null(result.Plan);
    }

    [Fact]
    public void Pool_too_small_for_the_peak_is_a_problem()
    {
        var result = Attempt("""
            metadata: {tenant: t}
            cluster:
              name: tiny
              pools:
                - {name: w, role: worker, instance: {name: s, vcpu: 2, memory: 4Gi, prices: {onDemand: 0.1}}, maxNodes: 2}
            components:
              - {name: api, kind: service, image: example.com/a:1, replicas: 8, resources: {requests: {cpu: 900m, memory: 1Gi}}}
            """);

        var problem = Assert.Single(result.Problems);
        Assert.Equal(("KP002", "cluster.pools[0].maxNodes"), (problem.Code, problem.Path));
        Assert.Contains("needs at least 4 nodes", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void More_sessions_never_give_fewer_replicas_nodes_or_dollars_on_a_fixed_device()
    {
        Gen.Int[1, 400].Select(Gen.Int[0, 400], Gen.Int[1, 400]).Sample((callbot, extra, stt) =>
        {
            var small = PlanOf(CallCenter(callbot, stt, "T4"));
            var large = PlanOf(CallCenter(callbot + extra, stt + (extra / 2), "T4"));
            Assert.True(Replicas(large) >= Replicas(small), $"replicas {Replicas(small)} -> {Replicas(large)}");
            Assert.True(large.Pools.Sum(p => p.Nodes) >= small.Pools.Sum(p => p.Nodes), "nodes");
            Assert.True(large.Cost.OnDemandUsd >= small.Cost.OnDemandUsd, "on-demand dollars");
            Assert.True(large.Cost.OptimisedUsd >= small.Cost.OptimisedUsd, "optimised dollars");
        }, iter: 150);
    }

    [Fact]
    public void More_sessions_never_cost_less_when_the_device_is_chosen()
    {
        // With device: auto the planner may trade many CPU replicas for fewer GPU ones as load grows,
        // so replica counts are not comparable across the switch; the monthly bill still only rises.
        Gen.Int[1, 600].Select(Gen.Int[0, 300]).Sample((callbot, extra) =>
        {
            var small = PlanOf(CallCenter(callbot, 50));
            var large = PlanOf(CallCenter(callbot + extra, 50));
            Assert.True(large.Cost.OnDemandUsd >= small.Cost.OnDemandUsd, $"{callbot} -> {callbot + extra}: ${small.Cost.OnDemandUsd} -> ${large.Cost.OnDemandUsd}");
        }, iter: 400);
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("T4")]
    [InlineData("cpu")]
    public void Sweeping_sessions_one_by_one_never_lowers_the_bill_or_the_nodes(string device)
    {
        foreach (var stt in new[] { 1, 37, 100 })
        {
            Plan? previous = null;
            for (var sessions = 1; sessions <= 250; sessions++)
            {
                var plan = PlanOf(CallCenter(sessions, stt, device));
                if (previous is not null)
                {
                    Assert.True(plan.Cost.OnDemandUsd >= previous.Cost.OnDemandUsd, $"{device}, stt {stt}: {sessions} sessions cost less than {sessions - 1}");
                    Assert.True(plan.Cost.OptimisedUsd >= previous.Cost.OptimisedUsd, $"{device}, stt {stt}: optimised cost fell at {sessions}");
                    if (device != "auto")
                    {
                        Assert.True(plan.Pools.Sum(p => p.Nodes) >= previous.Pools.Sum(p => p.Nodes), $"{device}, stt {stt}: nodes fell at {sessions}");
                        Assert.True(Replicas(plan) >= Replicas(previous), $"{device}, stt {stt}: replicas fell at {sessions}");
                    }
                }

                previous = plan;
            }
        }
    }

    private static int Replicas(Plan plan) => plan.Components.Sum(c => c.Workloads.Sum(w => w.Replicas));
}

public sealed class PinnedPoolTests
{
    private static PlanResult Plan(string component) =>
        Planner.Default.Plan(StackParser.Parse($"metadata: {{tenant: t}}\ncluster: {{profile: aws-gpu}}\ncomponents:\n  - {component}\n", "s.yaml").Value!);

    [Fact]
    public void A_pinned_worker_pool_keeps_an_ai_service_on_cpu()
    {
        var result = Plan("{name: bot, kind: ai-service, service: chatbot, sessions: 20000, pool: general}");

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Equal(("cpu", "general"), (result.Plan!.Components[0].Device, result.Plan.Components[0].Pool));
    }

    [Fact]
    public void A_pinned_gpu_pool_chooses_its_gpu()
    {
        var result = Plan("{name: voice, kind: ai-service, service: tts, sessions: 20, pool: gpu-t4}");

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Equal(("T4", "gpu-t4"), (result.Plan!.Components[0].Device, result.Plan.Components[0].Pool));
    }

    [Fact]
    public void A_pinned_pool_that_cannot_run_the_service_says_so()
    {
        var problem = Assert.Single(Plan("{name: ears, kind: ai-service, service: stt, sessions: 20, pool: gpu-t4}").Problems);

        Assert.Contains("pool 'gpu-t4' cannot run a stt replica", problem.Message, StringComparison.Ordinal);
    }
}
