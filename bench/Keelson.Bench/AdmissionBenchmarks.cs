using BenchmarkDotNet.Attributes;
using Keelson.Operations.Jobs;
using Keelson.Spec.Model;

namespace Keelson.Bench;

/// <summary>
/// Admission decisions for 10,000 queued jobs across 100 queues (issue 17's target: under 1 s): 10 cohorts of 10
/// queues, each with a CPU flavor and a T4 flavor, half StrictFIFO, priorities 0–4, preemption within the queue and
/// reclaim within the cohort enabled. Generated deterministically (seed 17).
/// </summary>
[MemoryDiagnoser]
public class AdmissionBenchmarks
{
    private AdmissionEngine engine = null!;
    private List<Workload> pending = null!;
    private List<AdmittedWorkload> running = null!;
    private List<Workload> rest = null!;

    /// <summary>Builds the queues and jobs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var queues = Enumerable.Range(0, 100).Select(i => new ClusterQueueSpec($"q{i:D3}",
        [
            new FlavorQuota("general", null, new Quantities(40_000, 160L << 30, 0), new Quantities(20_000, 80L << 30, 0)),
            new FlavorQuota("gpu-t4", GpuType.T4, new Quantities(16_000, 64L << 30, 4), new Quantities(8_000, 32L << 30, 2)),
        ])
        {
            Cohort = $"c{i / 10}",
            Strategy = i % 2 == 0 ? QueueingStrategy.StrictFifo : QueueingStrategy.BestEffortFifo,
            WithinQueue = PreemptionPolicy.LowerPriority,
            ReclaimWithinCohort = PreemptionPolicy.Any,
        }).ToList();
        engine = new AdmissionEngine(queues);
        var random = new Random(17);
        pending = [.. Enumerable.Range(0, 10_000).Select(i =>
        {
            var gpu = random.Next(4) == 0;
            return new Workload($"j{i:D5}", $"q{random.Next(100):D3}", random.Next(5), i,
                new Quantities(1000 * (1 + random.Next(4)), (2L + random.Next(6)) << 30, gpu ? 1 : 0), gpu ? GpuType.T4 : null);
        })];

        // The second case: half the jobs already hold quota (as the first pass left them), the other half arrive.
        var first = engine.Decide(pending.Take(5_000), []);
        running = [.. first.Admitted.Select((a, i) => new AdmittedWorkload(a.Workload, a.Flavor, i))];
        var admittedIds = running.Select(r => r.Workload.Id).ToHashSet(StringComparer.Ordinal);
        rest = [.. pending.Where(w => !admittedIds.Contains(w.Id))];
    }

    /// <summary>All 10,000 pending, nothing admitted yet.</summary>
    [Benchmark]
    public int Admit10kFromEmpty() => engine.Decide(pending, []).Admitted.Count;

    /// <summary>The remaining jobs against a cluster already holding the first pass's admissions (preemption candidates exist).</summary>
    [Benchmark]
    public int Admit10kWithRunning() => engine.Decide(rest, running).Admitted.Count;
}
