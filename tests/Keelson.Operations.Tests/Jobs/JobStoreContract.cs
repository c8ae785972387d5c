using Keelson.Operations.Jobs;
using Keelson.Operations.Tests.Storage;
using Keelson.Spec.Model;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Jobs;

/// <summary>The job store on a real database: queues round-trip, admission passes are durable and exclusive, quota is released when jobs end.</summary>
public abstract class JobStoreContract(TestDatabase target) : StoreContract(target)
{
    private static readonly ClusterQueueSpec Batch = new("batch", [new FlavorQuota("general", null, new Quantities(4000, 16L << 30, 0)), new FlavorQuota("gpu-t4", GpuType.T4, new Quantities(8000, 32L << 30, 2))])
    {
        WithinQueue = PreemptionPolicy.LowerPriority,
        Strategy = QueueingStrategy.StrictFifo,
    };

    private static JobSpec Job(string name, long milliCpu, int priority = 0, int parallelism = 1) =>
        new() { Name = name, Queue = "batch", Image = "busybox:1.36", MilliCpu = milliCpu, MemoryBytes = 1L << 30, Priority = priority, Parallelism = parallelism, Env = new Dictionary<string, string> { ["MODE"] = "x" } };

    [Fact]
    public async Task Queues_round_trip_and_are_replaced_by_name()
    {
        var store = new SqlJobStore(Database);
        Assert.True(await store.PutQueueAsync("acme", Batch, default));
        Assert.False(await store.PutQueueAsync("acme", Batch with { Cohort = "research" }, default));

        var read = Assert.Single(await store.ListQueuesAsync("acme", default));
        Assert.Equal("research", read.Cohort);
        Assert.Equal(QueueingStrategy.StrictFifo, read.Strategy);
        Assert.Equal(Batch.Flavors, read.Flavors);
        Assert.Empty(await store.ListQueuesAsync("other", default));
        Assert.True(await store.DeleteQueueAsync("acme", "batch", default));
        Assert.False(await store.DeleteQueueAsync("acme", "batch", default));
    }

    [Fact]
    public async Task Admission_writes_attempts_with_deterministic_names_and_finishing_releases_quota()
    {
        var store = new SqlJobStore(Database);
        await store.PutQueueAsync("acme", Batch, default);
        var a = await store.SubmitAsync("acme", Job("train", 2000, parallelism: 2), default);
        var b = await store.SubmitAsync("acme", Job("eval", 1000), default);
        Assert.Equal((JobState.Pending, 0, null), (a.State, a.Attempt, a.KubernetesName));
        Assert.Equal("x", a.Spec.Env["MODE"]);

        var pass = Assert.Single(await store.AdmitAsync(default));
        Assert.Equal("acme", pass.TenantId);
        Assert.Equal([a.Id.ToString(), ], pass.Result.Order);

        var admitted = (await store.GetAsync("acme", a.Id, default))!;
        Assert.Equal((JobState.Admitted, "general", 1, $"train-{a.Id}-a1"), (admitted.State, admitted.Flavor, admitted.Attempt, admitted.KubernetesName));
        Assert.Equal($"train-{a.Id}-a1", Assert.Single(admitted.Attempts).KubernetesName);
        var waiting = (await store.GetAsync("acme", b.Id, default))!;
        Assert.Equal(JobState.Pending, waiting.State);
        Assert.Equal("general: quota exceeded (cpu 5000m > 4000m); gpu-t4: offers T4 GPUs, the job asks for none", waiting.Reason);

        Assert.True(await store.MarkRunningAsync(a.Id, 1, default));
        Assert.False(await store.MarkRunningAsync(a.Id, 1, default));
        Assert.Empty((await store.AdmitAsync(default)).SelectMany(p => p.Result.Admitted));
        Assert.True(await store.FinishAsync(a.Id, 1, true, "Completed", default));
        Assert.False(await store.FinishAsync(a.Id, 1, false, "late", default));

        Assert.Equal([b.Id.ToString()], Assert.Single(await store.AdmitAsync(default)).Result.Order);
        var done = (await store.GetAsync("acme", a.Id, default))!;
        Assert.Equal((JobState.Succeeded, "succeeded"), (done.State, done.Attempts[0].Outcome));
        Assert.NotNull(done.FinishedAt);
    }

    [Fact]
    public async Task Preemption_requeues_the_victim_and_leaves_its_Kubernetes_Job_to_clean_up()
    {
        var store = new SqlJobStore(Database);
        await store.PutQueueAsync("acme", Batch, default);
        var low = await store.SubmitAsync("acme", Job("low", 4000, priority: 1), default);
        await store.AdmitAsync(default);
        await store.MarkRunningAsync(low.Id, 1, default);
        var high = await store.SubmitAsync("acme", Job("high", 3000, priority: 9), default);

        var decision = Assert.Single(Assert.Single(await store.AdmitAsync(default)).Result.Admitted);
        Assert.Equal([low.Id.ToString()], decision.Preempted);

        var victim = (await store.GetAsync("acme", low.Id, default))!;
        Assert.Equal((JobState.Pending, $"preempted by job {high.Id}", 1), (victim.State, victim.Reason, victim.Attempt));
        Assert.Equal("preempted", Assert.Single(victim.Attempts).Outcome);
        var cleanup = Assert.Single(await store.CleanupsAsync(10, default));
        Assert.Equal(($"low-{low.Id}-a1", "acme"), (cleanup.KubernetesName, cleanup.TenantId));
        await store.MarkDeletedAsync(cleanup, default);
        Assert.Empty(await store.CleanupsAsync(10, default));

        // The first attempt can no longer report: its result is ignored.
        Assert.False(await store.FinishAsync(low.Id, 1, true, "Completed", default));
        Assert.True(await store.FinishAsync(high.Id, 1, true, "Completed", default));
        await store.AdmitAsync(default);
        var again = (await store.GetAsync("acme", low.Id, default))!;
        Assert.Equal((JobState.Admitted, 2, $"low-{low.Id}-a2"), (again.State, again.Attempt, again.KubernetesName));
    }

    [Fact]
    public async Task Cancel_releases_quota_at_once_and_retry_queues_the_job_again()
    {
        var store = new SqlJobStore(Database);
        await store.PutQueueAsync("acme", Batch, default);
        var a = await store.SubmitAsync("acme", Job("a", 4000), default);
        var b = await store.SubmitAsync("acme", Job("b", 4000), default);
        await store.AdmitAsync(default);

        var cancelled = (await store.CancelAsync("acme", a.Id, default))!;
        Assert.Equal(JobState.Cancelled, cancelled.State);
        Assert.Equal("cancelled", Assert.Single(cancelled.Attempts).Outcome);
        Assert.Single(await store.CleanupsAsync(10, default));
        Assert.Equal([b.Id.ToString()], Assert.Single(await store.AdmitAsync(default)).Result.Order);
        Assert.Equal(JobState.Cancelled, (await store.CancelAsync("acme", a.Id, default))!.State);
        Assert.Null(await store.CancelAsync("other", a.Id, default));

        Assert.Equal(JobState.Pending, (await store.RetryAsync("acme", a.Id, default))!.State);
        Assert.Equal(JobState.Admitted, (await store.RetryAsync("acme", b.Id, default))!.State);
        var listed = await store.ListAsync("acme", JobState.Pending, "batch", 10, default);
        Assert.Equal([a.Id], listed.Select(j => j.Id));
        Assert.Equal([b.Id, a.Id], (await store.ListAsync("acme", null, null, 10, default)).Select(j => j.Id));
        Assert.Equal(
            [("acme", "batch", JobState.Pending, 1L), ("acme", "batch", JobState.Admitted, 1L)],
            (await store.CountsAsync(default)).OrderBy(c => c.State));
    }

    [Fact]
    public async Task Concurrent_admitters_admit_every_job_exactly_once()
    {
        var store = new SqlJobStore(Database);
        var big = Batch with { Flavors = [new FlavorQuota("general", null, new Quantities(1_000_000, 1L << 40, 0))], Strategy = QueueingStrategy.BestEffortFifo };
        var tenants = new[] { "t1", "t2", "t3" };
        foreach (var t in tenants)
        {
            await store.PutQueueAsync(t, big, default);
        }

        var submitted = new List<long>();
        for (var i = 0; i < 60; i++)
        {
            submitted.Add((await store.SubmitAsync(tenants[i % 3], Job($"j{i}", 100), default)).Id);
        }

        var admitters = Enumerable.Range(0, 4).Select(_ => new SqlJobStore(OpenAnother())).ToList();
        var decisions = await Task.WhenAll(admitters.Select(async admitter =>
        {
            var mine = new List<string>();
            for (var round = 0; round < 5; round++)
            {
                mine.AddRange((await admitter.AdmitAsync(default)).SelectMany(p => p.Result.Order));
            }

            return mine;
        }));

        var all = decisions.SelectMany(d => d).ToList();
        Assert.Equal(submitted.Select(i => i.ToString()).Order(), all.Order());
        foreach (var t in tenants)
        {
            Assert.All(await store.ListAsync(t, null, null, 100, default), j => Assert.Equal((JobState.Admitted, 1), (j.State, Assert.Single(j.Attempts).Number)));
        }
    }
}

/// <summary>On SQLite.</summary>
public sealed class SqliteJobStoreTests() : JobStoreContract(new SqliteTestDatabase());

/// <summary>On PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresJobStoreTests(PostgresServer server) : JobStoreContract(new PostgresTestDatabase(server));
