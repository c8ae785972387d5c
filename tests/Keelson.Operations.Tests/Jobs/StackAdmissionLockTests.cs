using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Operations.Jobs;
using Keelson.Operations.Tests.Storage;
using Keelson.Rendering.Objects;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;
using Keelson.Spec.Model;
using Keelson.Spec.Parsing;
using Keelson.Testing;

namespace Keelson.Operations.Tests.Jobs;

/// <summary>
/// Two stack queue admitters, as two server replicas run them, over the same cluster at once: with the PostgreSQL
/// advisory lock of the cohort (<see cref="SqlJobStore.UnderAdmissionLockAsync"/>, each admitter on its own connection
/// pool) no Job is admitted twice and the queues' and cohort's quota is never exceeded; without it they over-admit.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class StackAdmissionLockTests(PostgresServer server) : StoreContract(new PostgresTestDatabase(server))
{
    // Two queues lending to each other: etl may hold 3 CPUs + 1 borrowed, adhoc 3 + 2; the cohort never more than 6.
    private const string Stack = """
        metadata: {tenant: locked}
        cluster: {profile: aws-general}
        queues:
          - name: etl
            cohort: shared
            flavors: [{pool: general, nominal: {cpu: 3, memory: 64Gi}, borrowingLimit: {cpu: 1, memory: 64Gi}}]
          - name: adhoc
            cohort: shared
            flavors: [{pool: general, nominal: {cpu: 3, memory: 64Gi}, borrowingLimit: {cpu: 2, memory: 64Gi}}]
        components:
          - {name: api, kind: service, image: registry.example.com/etl/api:1.0}
        """;

    private static readonly Dictionary<string, long> Ceiling = new(StringComparer.Ordinal) { ["etl"] = 4000, ["adhoc"] = 5000 };
    private const long CohortCapacity = 6000;

    [Fact]
    public async Task Two_admitters_under_the_cohort_lock_admit_every_job_exactly_once_within_quota()
    {
        var (cluster, stack) = await ClusterAsync();
        using var disposing = cluster;
        var stores = new[] { new SqlJobStore(OpenAnother()), new SqlJobStore(OpenAnother()) };
        var admitters = stores.Select(store => (Func<Task<QueuedAdmissionPass>>)(() =>
            store.UnderAdmissionLockAsync("locked", StackQueues.For(stack), new QueuedJobAdmitter(stack, cluster).PassAsync, CancellationToken.None))).ToArray();

        var admitted = await RunAsync(cluster, admitters);

        Assert.Empty(cluster.Violations);
        var jobs = await JobsAsync(cluster);
        Assert.Equal(48, jobs.Count);
        Assert.All(jobs, j => Assert.True(JobManifest.Outcome(j) is { Succeeded: true }, $"{j.Metadata.Name} did not finish"));
        Assert.All(jobs, j => Assert.Equal(1, cluster.Admissions.GetValueOrDefault(j.Metadata.Name)));

        // The passes' own reports agree: each Job was admitted by exactly one of the two, and admission numbers are never reused.
        Assert.Equal(jobs.Select(j => j.Metadata.Name).Order(StringComparer.Ordinal), admitted.Order(StringComparer.Ordinal));
        var orders = jobs.Select(j => j.Metadata.Annotations[QueuedJobAdmitter.AdmittedAnnotation]).ToList();
        Assert.Equal(orders.Count, orders.Distinct().Count());
        Assert.Equal(CohortCapacity, cluster.MostInCohort);
    }

    [Fact]
    public async Task Without_the_lock_the_same_two_admitters_over_admit()
    {
        var (cluster, stack) = await ClusterAsync();
        using var disposing = cluster;
        var admitters = Enumerable.Range(0, 2).Select(_ => (Func<Task<QueuedAdmissionPass>>)(() => new QueuedJobAdmitter(stack, cluster).PassAsync(CancellationToken.None))).ToArray();

        await RunAsync(cluster, admitters);

        // The harness can tell: the second pass decided on what the first had not yet written.
        Assert.NotEmpty(cluster.Violations);
    }

    private static async Task<(GuardedCluster Cluster, StackSpec Stack)> ClusterAsync()
    {
        var parsed = StackParser.Parse(Stack, "stack.yaml");
        Assert.True(parsed.Succeeded, string.Join("\n", parsed.Diagnostics));
        var stack = parsed.Value!;
        var engine = new SandboxEngine(stack.Cluster, new SandboxOptions { JobRun = TimeSpan.FromSeconds(50) }, start: new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var cluster = new GuardedCluster(new SandboxCluster(engine));
        await cluster.ApplyAsync(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "locked" } }, CancellationToken.None);

        // 36 one-CPU jobs waiting from the start, half in each queue.
        for (var i = 0; i < 36; i++)
        {
            await cluster.ApplyAsync(JobManifest.Suspended(Job($"batch-{i:D2}", i % 2 == 0 ? "etl" : "adhoc", 0), "locked"), CancellationToken.None);
        }

        return (cluster, stack);
    }

    private static JobSpec Job(string name, string queue, int priority) =>
        new() { Name = name, Queue = queue, Image = "busybox:1.36", MilliCpu = 1000, MemoryBytes = 1L << 30, Priority = priority };

    /// <summary>
    /// Rounds until every Job finished: the first admitter's pass starts; once it has listed the Jobs, a high-priority
    /// Job is submitted and the second admitter's pass starts, so the two read different states; then the cluster
    /// runs 90 s (a Job takes about 60 s). Returns every Job a pass reported admitting.
    /// </summary>
    private static async Task<List<string>> RunAsync(GuardedCluster cluster, Func<Task<QueuedAdmissionPass>>[] admitters)
    {
        var admitted = new ConcurrentBag<string>();
        for (var round = 0; round < 40; round++)
        {
            var listed = cluster.NextList();
            var first = Task.Run(admitters[0]);
            await Task.WhenAny(listed, first);
            if (round < 12)
            {
                await cluster.ApplyAsync(JobManifest.Suspended(Job($"urgent-{round:D2}", round % 3 == 0 ? "etl" : "adhoc", 10), "locked"), CancellationToken.None);
            }

            var second = Task.Run(admitters[1]);
            foreach (var pass in await Task.WhenAll(first, second))
            {
                foreach (var (job, _) in pass.Admitted)
                {
                    admitted.Add(job);
                }
            }

            await cluster.WaitAsync(TimeSpan.FromSeconds(90), CancellationToken.None);
            if (round >= 12 && (await JobsAsync(cluster)).All(j => JobManifest.Outcome(j) is not null))
            {
                break;
            }
        }

        return [.. admitted];
    }

    private static async Task<List<V1Job>> JobsAsync(ICluster cluster) =>
        [.. (await cluster.ListAsync("batch/v1", "Job", "locked", QueuedJobs.QueueLabel, CancellationToken.None)).OfType<V1Job>()];

    /// <summary>
    /// The sandbox behind one lock, as an API server serializes requests, that checks quota after every write: it
    /// counts each Job's admissions (suspended → unsuspended) and records any moment a queue or the cohort holds more
    /// than its quota. Lists and writes are slowed a little so concurrent passes overlap.
    /// </summary>
    private sealed class GuardedCluster(SandboxCluster inner) : ICluster, IDisposable
    {
        private readonly SemaphoreSlim gate = new(1, 1);
        private TaskCompletionSource listed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentDictionary<string, int> Admissions { get; } = new(StringComparer.Ordinal);

        public ConcurrentQueue<string> Violations { get; } = new();

        public long MostInCohort { get; private set; }

        public string Description => inner.Description;

        public void Dispose() => gate.Dispose();

        public TimeProvider Time => inner.Time;

        /// <summary>Completes when the next list has been answered.</summary>
        public Task NextList()
        {
            listed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return listed.Task;
        }

        public async Task<IKubernetesObject<V1ObjectMeta>> ApplyAsync(IKubernetesObject<V1ObjectMeta> resource, CancellationToken cancellationToken)
        {
            await Task.Delay(10, cancellationToken);
            await gate.WaitAsync(cancellationToken);
            try
            {
                var before = await inner.GetAsync(ObjectKey.Of(resource), cancellationToken) as V1Job;
                var applied = await inner.ApplyAsync(resource, cancellationToken);
                if (resource is V1Job job && before?.Spec.Suspend == true && job.Spec.Suspend == false)
                {
                    Admissions.AddOrUpdate(job.Metadata.Name, 1, (_, n) => n + 1);
                    await CheckQuotaAsync(cancellationToken);
                }

                return applied;
            }
            finally
            {
                gate.Release();
            }
        }

        public async Task<IKubernetesObject<V1ObjectMeta>?> GetAsync(ObjectKey key, CancellationToken cancellationToken) =>
            await Serialized(() => inner.GetAsync(key, cancellationToken), cancellationToken);

        public async Task<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>> ListAsync(string apiVersion, string kind, string? ns, string? labelSelector, CancellationToken cancellationToken)
        {
            var answer = await Serialized(() => inner.ListAsync(apiVersion, kind, ns, labelSelector, cancellationToken), cancellationToken);
            listed.TrySetResult();
            await Task.Delay(30, cancellationToken);
            return answer;
        }

        public async Task<bool> DeleteAsync(ObjectKey key, CancellationToken cancellationToken) =>
            await Serialized(() => inner.DeleteAsync(key, cancellationToken), cancellationToken);

        public IAsyncEnumerable<ClusterEvent> WatchAsync(string apiVersion, string kind, string? ns, CancellationToken cancellationToken) =>
            inner.WatchAsync(apiVersion, kind, ns, cancellationToken);

        public async Task WaitAsync(TimeSpan duration, CancellationToken cancellationToken) =>
            await Serialized(async () =>
            {
                await inner.WaitAsync(duration, cancellationToken);
                return true;
            }, cancellationToken);

        private async Task<T> Serialized<T>(Func<Task<T>> call, CancellationToken cancellationToken)
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return await call();
            }
            finally
            {
                gate.Release();
            }
        }

        private async Task CheckQuotaAsync(CancellationToken cancellationToken)
        {
            var holding = (await inner.ListAsync("batch/v1", "Job", "locked", QueuedJobs.QueueLabel, cancellationToken)).OfType<V1Job>()
                .Where(j => j.Spec.Suspend == false && JobManifest.Outcome(j) is null)
                .GroupBy(j => j.Metadata.Labels[QueuedJobs.QueueLabel])
                .ToDictionary(g => g.Key, g => g.Sum(j => QueuedJobAdmitter.Workload(j).Request.MilliCpu), StringComparer.Ordinal);
            foreach (var (queue, milli) in holding.Where(h => h.Value > Ceiling[h.Key]))
            {
                Violations.Enqueue($"{queue} holds {milli}m of at most {Ceiling[queue]}m at {inner.Time.GetUtcNow():HH:mm:ss}");
            }

            var cohort = holding.Values.Sum();
            MostInCohort = Math.Max(MostInCohort, cohort);
            if (cohort > CohortCapacity)
            {
                Violations.Enqueue($"cohort shared holds {cohort}m of at most {CohortCapacity}m at {inner.Time.GetUtcNow():HH:mm:ss}");
            }
        }
    }
}
