using k8s.Models;
using Keelson.Delivery;
using Keelson.Operations.Jobs;
using Keelson.Planning;
using Keelson.Rendering;
using Keelson.Rendering.Objects;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;
using Keelson.Spec.Parsing;

namespace Keelson.Operations.Tests.Jobs;

/// <summary>
/// A stack whose cronjobs name a queue, rendered, delivered to the sandbox and admitted by <see cref="QueuedJobAdmitter"/>
/// through the cluster interface: each run is created suspended by the CronJob controller and waits for quota.
/// </summary>
public sealed class QueuedJobAdmitterTests
{
    // A 4-CPU queue; every run of collect asks for 2 CPU and runs 150 s, one starts each minute, so runs pile up.
    // urgent (priority 10) starts every third minute and goes ahead of the collect runs waiting then.
    private const string Stack = """
        metadata: {tenant: pipes}
        cluster: {profile: aws-general}
        queues:
          - name: etl
            flavors: [{pool: general, nominal: {cpu: 4, memory: 16Gi}}]
        components:
          - name: collect
            kind: cronjob
            image: registry.example.com/etl/collect:1.0
            schedule: "* * * * *"
            concurrencyPolicy: Allow
            deadline: 1h
            queue: etl
            resources: {requests: {cpu: "2", memory: 2Gi}, limits: {cpu: "2", memory: 2Gi}}
          - name: urgent
            kind: cronjob
            image: registry.example.com/etl/urgent:1.0
            schedule: "*/3 * * * *"
            concurrencyPolicy: Allow
            deadline: 1h
            queue: etl
            priority: 10
            resources: {requests: {cpu: "2", memory: 2Gi}, limits: {cpu: "2", memory: 2Gi}}
        """;

    private static (SandboxCluster Cluster, QueuedJobAdmitter Admitter) Deliver(string yaml)
    {
        var spec = StackParser.Parse(yaml, "stack.yaml");
        Assert.True(spec.Succeeded, string.Join("\n", spec.Diagnostics));
        var manifest = ManifestRenderer.Default.Render(Planner.Default.Plan(spec.Value!).Plan!);
        var start = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
        var cluster = new SandboxCluster(new SandboxEngine(spec.Value!.Cluster, new SandboxOptions { JobRun = TimeSpan.FromSeconds(150) }, start: start));
        new Deployer(cluster).ApplyAsync([.. manifest.Objects.Select(o => o.Resource)], null, CancellationToken.None).GetAwaiter().GetResult();
        return (cluster, new QueuedJobAdmitter(spec.Value!, cluster));
    }

    private static List<V1Job> Jobs(SandboxCluster cluster) => [.. cluster.Engine.Store.List<V1Job>("pipes")];

    [Fact]
    public async Task Cronjob_runs_wait_for_quota_and_are_admitted_in_priority_then_creation_order()
    {
        var (cluster, admitter) = Deliver(Stack);
        var order = new List<string>();
        var admittedAt = new Dictionary<string, DateTimeOffset>();
        var finishedAt = new Dictionary<string, DateTimeOffset>();
        var mostRunning = 0;
        var mostPending = 0;
        for (var t = 0; t < 12 * 6; t++)
        {
            var pass = await admitter.PassAsync(CancellationToken.None);
            foreach (var (job, flavor) in pass.Admitted)
            {
                Assert.Equal("general", flavor);
                order.Add(job);
                admittedAt[job] = cluster.Time.GetUtcNow();
            }

            mostPending = Math.Max(mostPending, pass.PendingPerQueue["etl"]);
            Assert.Empty(pass.Evicted);
            await cluster.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            var jobs = Jobs(cluster);
            foreach (var job in jobs.Where(j => JobManifest.Outcome(j) is not null))
            {
                finishedAt.TryAdd(job.Metadata.Name, cluster.Time.GetUtcNow());
            }

            // Never more running than the quota holds: 2 runs of 2 CPU on a 4-CPU queue.
            mostRunning = Math.Max(mostRunning, jobs.Count(j => j.Spec.Suspend != true && JobManifest.Outcome(j) is null));
            Assert.True(mostRunning <= 2, $"{mostRunning} Jobs ran at once at {cluster.Time.GetUtcNow():HH:mm:ss}");
        }

        // Runs are named after their scheduled minute (Unix minutes): 09:01 is collect-29540701 and so on.
        static string Run(string cron, int minute) => $"{cron}-{new DateTimeOffset(2026, 3, 2, 9, minute, 0, TimeSpan.Zero).ToUnixTimeSeconds() / 60}";

        // Each run takes 160 s (image pull and start, then 150 s) and the next waiting one is admitted in the pass that
        // sees the quota free: two at a time, urgent runs ahead of the collect runs waiting with them, else creation order.
        static string At(DateTimeOffset t) => t.ToString("HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(
            [
                $"{Run("collect", 1)} 09:01:00", $"{Run("collect", 2)} 09:02:00", $"{Run("urgent", 3)} 09:03:40", $"{Run("collect", 3)} 09:04:40",
                $"{Run("urgent", 6)} 09:06:20", $"{Run("collect", 4)} 09:07:20", $"{Run("urgent", 9)} 09:09:00", $"{Run("collect", 5)} 09:10:00", $"{Run("collect", 6)} 09:11:40",
            ],
            order.Select(o => $"{o} {At(admittedAt[o])}").ToList());
        Assert.Equal(2, mostRunning);
        Assert.True(mostPending >= 3, $"at most {mostPending} runs waited");

        // The third run waited for quota: it was admitted only once the first had finished.
        Assert.True(admittedAt[Run("urgent", 3)] >= finishedAt[Run("collect", 1)]);
        Assert.True(admittedAt[Run("urgent", 3)] - new DateTimeOffset(2026, 3, 2, 9, 3, 0, TimeSpan.Zero) > TimeSpan.FromSeconds(30));

        // A waiting run says why, on the Job itself; the pass counts them for the pending-jobs gauge.
        var last = await admitter.PassAsync(CancellationToken.None);
        var waiting = Jobs(cluster).Where(j => j.Spec.Suspend == true).ToList();
        Assert.Equal(waiting.Count, last.PendingPerQueue["etl"]);
        Assert.True(waiting.Count >= 5, $"{waiting.Count} runs wait");
        Assert.All(waiting, j => Assert.Equal("general: quota exceeded (cpu 6000m > 4000m)", j.Metadata.Annotations[QueuedJobAdmitter.WaitingAnnotation]));

        // Admitted runs are pinned to the admitted pool and labelled with it.
        var admitted = Jobs(cluster).First(j => j.Spec.Suspend == false);
        Assert.Equal("general", admitted.Metadata.Labels[QueuedJobs.FlavorLabel]);
        var term = Assert.Single(admitted.Spec.Template.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms);
        Assert.Equal(("keelson.dev/pool", "general"), (term.MatchExpressions[0].Key, term.MatchExpressions[0].Values[0]));
    }

    // withinQueue: LowerPriority lets a high-priority job evict a running low-priority one.
    private const string Preempting = """
        metadata: {tenant: pipes}
        cluster: {profile: aws-general}
        queues:
          - name: etl
            preemption: {withinQueue: LowerPriority}
            flavors: [{pool: general, nominal: {cpu: 4, memory: 16Gi}}]
        components:
          - name: low
            kind: job
            image: registry.example.com/etl/low:1.0
            deadline: 1h
            queue: etl
            resources: {requests: {cpu: "3", memory: 2Gi}, limits: {cpu: "3", memory: 2Gi}}
        """;

    private const string High = """
          - name: high
            kind: job
            image: registry.example.com/etl/high:1.0
            deadline: 1h
            queue: etl
            priority: 100
            resources: {requests: {cpu: "2", memory: 2Gi}, limits: {cpu: "2", memory: 2Gi}}
        """;

    [Fact]
    public async Task Deploy_does_not_wait_for_queued_jobs_redeploy_leaves_them_to_the_admitter_and_a_higher_priority_job_preempts()
    {
        var (cluster, admitter) = Deliver(Preempting);
        var job = () => Jobs(cluster).ToDictionary(j => j.Metadata.Name);
        Assert.True(job()["low"].Spec.Suspend);

        var first = await admitter.PassAsync(CancellationToken.None);
        Assert.Equal([("low", "general")], first.Admitted);
        await cluster.WaitAsync(TimeSpan.FromSeconds(20), CancellationToken.None);
        Assert.Equal(1, job()["low"].Status.Active);

        // The whole stack delivered again, with a second, more important job: delivery finishes at once (queued Jobs
        // are ready when created) and leaves the running low job as the admitter made it.
        var spec = StackParser.Parse(Preempting + "\n" + High, "stack.yaml").Value!;
        var manifest = ManifestRenderer.Default.Render(Planner.Default.Plan(spec).Plan!);
        var result = await new Deployer(cluster).DeployAsync("pipes", [.. manifest.Objects.Select(o => o.Resource)], null, CancellationToken.None);
        Assert.True(result.Succeeded, result.Error);
        Assert.Equal("suspended, waiting for admission in queue etl", result.Objects.Single(o => o.Key.Kind == "Job" && o.Key.Name == "high").Readiness.Message);
        Assert.False(job()["low"].Spec.Suspend);
        Assert.Equal(1, job()["low"].Status.Active);

        // high (2 CPU) does not fit beside low (3 CPU) in 4 CPU: low is suspended, its pod stopped, high admitted.
        admitter = new QueuedJobAdmitter(spec, cluster);
        var second = await admitter.PassAsync(CancellationToken.None);
        Assert.Equal(["low"], second.Evicted);
        Assert.Equal([("high", "general")], second.Admitted);
        await cluster.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.True(job()["low"].Spec.Suspend);
        Assert.Equal("preempted by high", job()["low"].Metadata.Annotations[QueuedJobAdmitter.WaitingAnnotation]);
        Assert.Equal(0, job()["low"].Status.Active);

        // Once high is done, low is admitted again and runs to the end.
        var readmitted = new List<string>();
        for (var i = 0; i < 60 && JobManifest.Outcome(job()["low"]) is null; i++)
        {
            readmitted.AddRange((await admitter.PassAsync(CancellationToken.None)).Admitted.Select(a => a.Job));
            await cluster.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        }

        Assert.Equal(["low"], readmitted);
        Assert.Equal((true, true), (JobManifest.Outcome(job()["high"])?.Succeeded, JobManifest.Outcome(job()["low"])?.Succeeded));
        Assert.True(job()["low"].Status.CompletionTime > job()["high"].Status.CompletionTime);
    }
}
