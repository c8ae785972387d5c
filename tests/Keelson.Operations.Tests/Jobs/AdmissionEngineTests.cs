using Keelson.Operations.Jobs;
using Keelson.Spec.Model;

namespace Keelson.Operations.Tests.Jobs;

/// <summary>Kueue's documented admission scenarios (ClusterQueue quotas, cohorts, preemption, queueing strategies) with exact orders.</summary>
public sealed class AdmissionEngineTests
{
    private const long Gi = 1L << 30;

    private static Quantities Cpu(double cores, long memoryGi = 0, long gpus = 0) => new((long)(cores * 1000), memoryGi * Gi, gpus);

    private static FlavorQuota Flavor(string name, Quantities nominal, Quantities? borrowing = null, GpuType? gpu = null) => new(name, gpu, nominal, borrowing);

    private static Workload Job(string id, string queue, double cores, int priority = 0, long? seq = null, long gpus = 0, GpuType? gpu = null) =>
        new(id, queue, priority, seq ?? long.Parse(id.TrimStart('j', 'a', 'b', 'h', 'l', 'x'), System.Globalization.CultureInfo.InvariantCulture), Cpu(cores, 0, gpus), gpu);

    private static AdmittedWorkload Running(Workload w, string flavor, long admitted) => new(w, flavor, admitted);

    [Fact]
    public void Jobs_are_admitted_in_submission_order_while_they_fit_the_nominal_quota()
    {
        var engine = new AdmissionEngine([new ClusterQueueSpec("batch", [Flavor("default", Cpu(9))])]);

        var result = engine.Decide([Job("j1", "batch", 3), Job("j2", "batch", 3), Job("j3", "batch", 3), Job("j4", "batch", 3)], []);

        Assert.Equal(["j1", "j2", "j3"], result.Order);
        Assert.All(result.Admitted, a => Assert.False(a.Borrowing));
        Assert.Equal("default: quota exceeded (cpu 12000m > 9000m)", result.Pending["j4"]);
    }

    [Fact]
    public void Higher_priority_jobs_go_first_regardless_of_submission()
    {
        var engine = new AdmissionEngine([new ClusterQueueSpec("batch", [Flavor("default", Cpu(4))])]);

        var result = engine.Decide([Job("j1", "batch", 2), Job("j2", "batch", 2), Job("j3", "batch", 2, priority: 100)], []);

        Assert.Equal(["j3", "j1"], result.Order);
        Assert.Contains("j2", result.Pending.Keys);
    }

    [Fact]
    public void A_queue_borrows_unused_quota_of_its_cohort_up_to_its_borrowing_limit()
    {
        // Kueue's cohort example: team-a and team-b lend each other what they do not use; team-a may borrow 2 CPUs at most.
        var engine = new AdmissionEngine(
        [
            new ClusterQueueSpec("team-a", [Flavor("default", Cpu(9), borrowing: Cpu(2))]) { Cohort = "research" },
            new ClusterQueueSpec("team-b", [Flavor("default", Cpu(9))]) { Cohort = "research" },
        ]);

        var result = engine.Decide([Job("a1", "team-a", 6), Job("a2", "team-a", 3), Job("a3", "team-a", 2), Job("a4", "team-a", 1)], []);

        Assert.Equal(["a1", "a2", "a3"], result.Order);
        Assert.Equal([false, false, true], result.Admitted.Select(a => a.Borrowing));
        Assert.Equal("default: quota exceeded (cpu 12000m > 11000m)", result.Pending["a4"]);
    }

    [Fact]
    public void A_lending_limit_caps_what_a_queue_lends_and_keeps_the_rest_for_itself()
    {
        // team-a owns 9 CPUs but lends at most 3 (6 are guaranteed to it); team-b owns 4 and lends all of them.
        // The cohort's lendable pool is 3 + 4 = 7 CPUs; only usage beyond a queue's guaranteed part draws on it.
        AdmissionEngine Engine(Quantities? lending) => new(
        [
            new ClusterQueueSpec("team-a", [new FlavorQuota("default", null, Cpu(9), LendingLimit: lending)]) { Cohort = "research" },
            new ClusterQueueSpec("team-b", [Flavor("default", Cpu(4))]) { Cohort = "research" },
        ]);
        Workload[] b = [Job("b1", "team-b", 4), Job("b2", "team-b", 2), Job("b3", "team-b", 2)];

        var limited = Engine(Cpu(3)).Decide(b, []);
        var unlimited = Engine(null).Decide(b, []);

        Assert.Equal(["b1", "b2"], limited.Order);
        Assert.Equal([false, true], limited.Admitted.Select(a => a.Borrowing));
        Assert.Equal("default: cohort research exhausted (cpu 8000m > 7000m)", limited.Pending["b3"]);
        Assert.Equal(["b1", "b2", "b3"], unlimited.Order);

        // With team-b borrowing 2 of team-a's 3 lendable CPUs, team-a still gets its 6 guaranteed CPUs and the 1 lendable
        // CPU left, not more.
        var a = Engine(Cpu(3)).Decide([Job("a1", "team-a", 6), Job("a2", "team-a", 1), Job("a3", "team-a", 1)], [Running(b[0], "default", 1), Running(b[1], "default", 2)]);
        Assert.Equal(["a1", "a2"], a.Order);
        Assert.Equal("default: cohort research exhausted (cpu 8000m > 7000m)", a.Pending["a3"]);
    }

    [Fact]
    public void Without_a_cohort_a_queue_never_borrows()
    {
        var engine = new AdmissionEngine(
        [
            new ClusterQueueSpec("team-a", [Flavor("default", Cpu(9), borrowing: Cpu(2))]),
            new ClusterQueueSpec("team-b", [Flavor("default", Cpu(9))]),
        ]);

        var result = engine.Decide([Job("a1", "team-a", 9), Job("a2", "team-a", 1)], []);

        Assert.Equal(["a1"], result.Order);
    }

    [Fact]
    public void Borrowing_stops_where_the_cohort_is_used_up_by_its_owners()
    {
        var engine = new AdmissionEngine(
        [
            new ClusterQueueSpec("team-a", [Flavor("default", Cpu(4))]) { Cohort = "c" },
            new ClusterQueueSpec("team-b", [Flavor("default", Cpu(4))]) { Cohort = "c" },
        ]);
        var b1 = Job("b1", "team-b", 3);

        var result = engine.Decide([Job("a2", "team-a", 4), Job("a3", "team-a", 2)], [Running(b1, "default", 0)]);

        Assert.Equal(["a2"], result.Order);
        Assert.Equal("default: cohort c exhausted (cpu 9000m > 8000m)", result.Pending["a3"]);
    }

    [Fact]
    public void Heads_that_need_not_borrow_are_admitted_before_heads_that_must()
    {
        // One cycle: team-a's head has the higher priority but must borrow; team-b's fits its own quota and goes first,
        // which leaves nothing for team-a to borrow.
        var engine = new AdmissionEngine(
        [
            new ClusterQueueSpec("team-a", [Flavor("default", Cpu(2))]) { Cohort = "c" },
            new ClusterQueueSpec("team-b", [Flavor("default", Cpu(4))]) { Cohort = "c" },
        ]);

        var result = engine.Decide([Job("a1", "team-a", 4, priority: 10), Job("b2", "team-b", 4)], []);

        Assert.Equal(["b2"], result.Order);
        Assert.StartsWith("default: cohort c exhausted", result.Pending["a1"]);
    }

    [Fact]
    public void A_higher_priority_job_preempts_the_most_recently_admitted_lower_priority_job_of_its_queue()
    {
        var queue = new ClusterQueueSpec("batch", [Flavor("default", Cpu(6))]) { WithinQueue = PreemptionPolicy.LowerPriority };
        var engine = new AdmissionEngine([queue]);
        var l1 = Job("l1", "batch", 2, priority: 1);
        var l2 = Job("l2", "batch", 2, priority: 1);
        var l3 = Job("l3", "batch", 2, priority: 5);

        var result = engine.Decide([Job("h4", "batch", 2, priority: 10)], [Running(l1, "default", 0), Running(l2, "default", 1), Running(l3, "default", 2)]);

        var decision = Assert.Single(result.Admitted);
        Assert.Equal("h4", decision.Workload.Id);
        Assert.Equal(["l2"], decision.Preempted);
        Assert.Equal("preempted by h4", result.Pending["l2"]);
    }

    [Fact]
    public void Preemption_evicts_a_minimal_set_lowest_priority_first()
    {
        // Greedy removal takes p1 (priority 1) then p2 (priority 2, 3 CPUs) before the job fits; p1 is then put back
        // because 3 freed CPUs suffice: only p2 goes.
        var queue = new ClusterQueueSpec("batch", [Flavor("default", Cpu(6))]) { WithinQueue = PreemptionPolicy.LowerPriority };
        var engine = new AdmissionEngine([queue]);
        var p1 = Job("l1", "batch", 1, priority: 1);
        var p2 = Job("l2", "batch", 3, priority: 2);
        var p3 = Job("l3", "batch", 2, priority: 3);

        var result = engine.Decide([Job("h9", "batch", 3, priority: 10)], [Running(p1, "default", 0), Running(p2, "default", 1), Running(p3, "default", 2)]);

        Assert.Equal(["l2"], Assert.Single(result.Admitted).Preempted);
    }

    [Fact]
    public void Without_a_preemption_policy_a_higher_priority_job_waits()
    {
        var engine = new AdmissionEngine([new ClusterQueueSpec("batch", [Flavor("default", Cpu(2))])]);

        var result = engine.Decide([Job("h2", "batch", 2, priority: 10)], [Running(Job("l1", "batch", 2), "default", 0)]);

        Assert.Empty(result.Admitted);
        Assert.Contains("quota exceeded", result.Pending["h2"], StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_priority_is_never_preempted_under_LowerPriority_but_newer_ones_are_under_LowerOrNewerEqualPriority()
    {
        var older = Job("h1", "batch", 2, priority: 5, seq: 1);
        var running = Job("l2", "batch", 2, priority: 5, seq: 2);
        var lower = new AdmissionEngine([new ClusterQueueSpec("batch", [Flavor("default", Cpu(2))]) { WithinQueue = PreemptionPolicy.LowerPriority }]);
        var newer = new AdmissionEngine([new ClusterQueueSpec("batch", [Flavor("default", Cpu(2))]) { WithinQueue = PreemptionPolicy.LowerOrNewerEqualPriority }]);

        Assert.Empty(lower.Decide([older], [Running(running, "default", 0)]).Admitted);
        Assert.Equal(["l2"], Assert.Single(newer.Decide([older], [Running(running, "default", 0)]).Admitted).Preempted);
    }

    [Fact]
    public void A_queue_reclaims_its_lent_quota_by_preempting_borrowers_of_its_cohort()
    {
        // team-b borrowed team-a's idle quota; team-a's new job takes it back (reclaimWithinCohort: Any), evicting the
        // borrower's most recently admitted job even though it has the higher priority.
        var engine = new AdmissionEngine(
        [
            new ClusterQueueSpec("team-a", [Flavor("default", Cpu(4))]) { Cohort = "c", ReclaimWithinCohort = PreemptionPolicy.Any },
            new ClusterQueueSpec("team-b", [Flavor("default", Cpu(4))]) { Cohort = "c" },
        ]);
        var b1 = Job("b1", "team-b", 4, priority: 50);
        var b2 = Job("b2", "team-b", 2, priority: 50);
        var b3 = Job("b3", "team-b", 2, priority: 50);

        var result = engine.Decide([Job("a4", "team-a", 2)], [Running(b1, "default", 0), Running(b2, "default", 1), Running(b3, "default", 2)]);

        var decision = Assert.Single(result.Admitted);
        Assert.Equal(["b3"], decision.Preempted);
        Assert.False(decision.Borrowing);
    }

    [Fact]
    public void Only_quota_a_member_borrows_is_reclaimed()
    {
        // team-b uses exactly its nominal quota: nothing of it can be reclaimed, so team-a's job waits.
        var engine = new AdmissionEngine(
        [
            new ClusterQueueSpec("team-a", [Flavor("default", Cpu(4))]) { Cohort = "c", ReclaimWithinCohort = PreemptionPolicy.Any },
            new ClusterQueueSpec("team-b", [Flavor("default", Cpu(4))]) { Cohort = "c" },
        ]);
        var a1 = Job("a1", "team-a", 3);
        var b2 = Job("b2", "team-b", 4);

        var result = engine.Decide([Job("a3", "team-a", 2)], [Running(a1, "default", 0), Running(b2, "default", 1)]);

        Assert.Empty(result.Admitted);
    }

    [Fact]
    public void StrictFifo_blocks_younger_jobs_behind_a_head_that_does_not_fit()
    {
        var strict = new AdmissionEngine([new ClusterQueueSpec("batch", [Flavor("default", Cpu(4))]) { Strategy = QueueingStrategy.StrictFifo }]);
        var running = Running(Job("j1", "batch", 2), "default", 0);

        var result = strict.Decide([Job("j2", "batch", 3), Job("j3", "batch", 1), Job("j4", "batch", 1)], [running]);

        Assert.Empty(result.Admitted);
        Assert.Equal("default: quota exceeded (cpu 5000m > 4000m)", result.Pending["j2"]);
        Assert.Equal("waiting behind j2 (StrictFIFO)", result.Pending["j3"]);
        Assert.Equal("waiting behind j2 (StrictFIFO)", result.Pending["j4"]);
    }

    [Fact]
    public void BestEffortFifo_admits_younger_jobs_that_fit_past_a_head_that_does_not()
    {
        var bestEffort = new AdmissionEngine([new ClusterQueueSpec("batch", [Flavor("default", Cpu(4))]) { Strategy = QueueingStrategy.BestEffortFifo }]);
        var running = Running(Job("j1", "batch", 2), "default", 0);

        var result = bestEffort.Decide([Job("j2", "batch", 3), Job("j3", "batch", 1), Job("j4", "batch", 1), Job("j5", "batch", 1)], [running]);

        Assert.Equal(["j3", "j4"], result.Order);
        Assert.Contains("j2", result.Pending.Keys);
        Assert.Contains("j5", result.Pending.Keys);
    }

    [Fact]
    public void Flavors_are_tried_in_order_and_GPU_jobs_only_use_pools_of_their_type()
    {
        var engine = new AdmissionEngine(
        [
            new ClusterQueueSpec("mixed",
            [
                Flavor("general", Cpu(8)),
                Flavor("gpu-t4", Cpu(8, 0, 2), gpu: GpuType.T4),
                Flavor("gpu-t4-spot", Cpu(8, 0, 2), gpu: GpuType.T4),
            ]),
        ]);

        var result = engine.Decide(
        [
            Job("j1", "mixed", 1, gpus: 1, gpu: GpuType.T4),
            Job("j2", "mixed", 1, gpus: 2, gpu: GpuType.T4),
            Job("j3", "mixed", 2),
            Job("j4", "mixed", 1, gpus: 1, gpu: GpuType.V100),
        ], []);

        Assert.Equal(["j1", "j2", "j3"], result.Order);
        Assert.Equal(["gpu-t4", "gpu-t4-spot", "general"], result.Admitted.Select(a => a.Flavor));
        Assert.Contains("gpu-t4: offers T4 GPUs, the job asks for V100", result.Pending["j4"], StringComparison.Ordinal);
    }

    [Fact]
    public void Jobs_of_an_unknown_queue_stay_pending_with_the_reason()
    {
        var engine = new AdmissionEngine([new ClusterQueueSpec("batch", [Flavor("default", Cpu(4))])]);

        var result = engine.Decide([Job("j1", "nightly", 1)], []);

        Assert.Empty(result.Admitted);
        Assert.Equal("queue 'nightly' does not exist", result.Pending["j1"]);
    }

    [Fact]
    public void The_same_input_in_any_order_gives_the_same_decisions()
    {
        var engine = new AdmissionEngine(
        [
            new ClusterQueueSpec("team-a", [Flavor("default", Cpu(10), borrowing: Cpu(5))]) { Cohort = "c", WithinQueue = PreemptionPolicy.LowerPriority },
            new ClusterQueueSpec("team-b", [Flavor("default", Cpu(10))]) { Cohort = "c", Strategy = QueueingStrategy.StrictFifo, ReclaimWithinCohort = PreemptionPolicy.LowerPriority },
        ]);
        var jobs = Enumerable.Range(1, 40).Select(i => Job($"j{i}", i % 3 == 0 ? "team-b" : "team-a", 1 + (i % 4), priority: i % 5, seq: i)).ToList();
        var expected = engine.Decide(jobs, []);

        var random = new Random(7);
        for (var round = 0; round < 5; round++)
        {
            var shuffled = jobs.OrderBy(_ => random.Next()).ToList();
            var again = engine.Decide(shuffled, []);
            Assert.Equal(expected.Order, again.Order);
            Assert.Equal(expected.Pending.OrderBy(p => p.Key, StringComparer.Ordinal), again.Pending.OrderBy(p => p.Key, StringComparer.Ordinal));
        }

        Assert.NotEmpty(expected.Admitted);
        Assert.NotEmpty(expected.Pending);
    }

    [Fact]
    public void Admitted_jobs_never_exceed_any_quota()
    {
        // A property over many random mixes: per queue at most nominal plus borrowing limit, per cohort at most the sum of nominal quotas.
        var queues = new ClusterQueueSpec[]
        {
            new("q1", [Flavor("f", Cpu(10), borrowing: Cpu(4))]) { Cohort = "c", WithinQueue = PreemptionPolicy.LowerPriority, ReclaimWithinCohort = PreemptionPolicy.Any },
            new("q2", [Flavor("f", Cpu(6))]) { Cohort = "c", ReclaimWithinCohort = PreemptionPolicy.LowerPriority },
            new("q3", [Flavor("f", Cpu(5))]) { Strategy = QueueingStrategy.StrictFifo },
        };
        var engine = new AdmissionEngine(queues);
        var random = new Random(11);
        for (var round = 0; round < 50; round++)
        {
            var jobs = Enumerable.Range(0, 30).Select(i => Job($"x{i}", $"q{1 + random.Next(3)}", 1 + random.Next(4), priority: random.Next(3), seq: i)).ToList();
            var running = new List<AdmittedWorkload>();
            var first = engine.Decide(jobs.Take(15), []);
            running.AddRange(first.Admitted.Select((a, i) => Running(a.Workload, a.Flavor, i)));
            var second = engine.Decide(jobs.Skip(15), running);
            var evicted = second.Admitted.SelectMany(a => a.Preempted).ToHashSet();
            var held = running.Where(r => !evicted.Contains(r.Workload.Id)).Select(r => r.Workload).Concat(second.Admitted.Select(a => a.Workload).Where(w => !evicted.Contains(w.Id))).ToList();

            Assert.True(held.Where(w => w.Queue == "q1").Sum(w => w.Request.MilliCpu) <= 14000);
            Assert.True(held.Where(w => w.Queue == "q3").Sum(w => w.Request.MilliCpu) <= 5000);
            Assert.True(held.Where(w => w.Queue != "q3").Sum(w => w.Request.MilliCpu) <= 16000);
        }
    }
}
