using System.Globalization;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Rendering.Objects;
using Keelson.Spec.Model;

namespace Keelson.Operations.Jobs;

/// <summary>What one pass over a namespace's queued Jobs did.</summary>
/// <param name="Admitted">Jobs unsuspended, in admission order, with the pool whose quota each holds.</param>
/// <param name="Evicted">Jobs suspended again to make room (preempted).</param>
/// <param name="Pending">Every Job still waiting, with why.</param>
/// <param name="PendingPerQueue">Waiting Jobs per queue, every declared queue listed (zero included): the <c>keelson_queue_pending_jobs</c> reading.</param>
/// <param name="RunningPerQueue">Admitted, unfinished Jobs per queue after the pass, every declared queue listed.</param>
public sealed record QueuedAdmissionPass(
    IReadOnlyList<(string Job, string Flavor)> Admitted,
    IReadOnlyList<string> Evicted,
    IReadOnlyDictionary<string, string> Pending,
    IReadOnlyDictionary<string, int> PendingPerQueue,
    IReadOnlyDictionary<string, int> RunningPerQueue);

/// <summary>
/// Admits the Jobs of a stack's namespace that name one of its queues, on the cluster itself, as Kueue's job
/// integration does: a queued Job is created suspended (by the deployer, or by its CronJob for each run); each pass
/// lists the namespace's Jobs with label <see cref="QueuedJobs.QueueLabel"/>, counts the running ones against their
/// queue's quota, lets <see cref="AdmissionEngine"/> decide, and unsuspends each admitted Job with the admitted pool's
/// node affinity and tolerations (mutable while a Job is suspended and has not started). A preempted Job is
/// suspended again, which stops its pods. The cluster is the only state: a restarted admitter carries on where it
/// stopped, and the sandbox and a real cluster are driven by the same code through <see cref="ICluster"/>.
/// </summary>
public sealed class QueuedJobAdmitter
{
    /// <summary>Annotation with the admission order of an admitted Job (later admissions are preempted first).</summary>
    public const string AdmittedAnnotation = "keelson.dev/admitted";

    /// <summary>Annotation with the reason a Job waits, as the last pass found it.</summary>
    public const string WaitingAnnotation = "keelson.dev/waiting";

    private readonly StackSpec stack;
    private readonly ICluster cluster;
    private readonly AdmissionEngine engine;

    /// <summary>An admitter for <paramref name="stack"/>'s queues on <paramref name="cluster"/>.</summary>
    public QueuedJobAdmitter(StackSpec stack, ICluster cluster)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(cluster);
        this.stack = stack;
        this.cluster = cluster;
        engine = new AdmissionEngine(StackQueues.For(stack));
    }

    /// <summary>The namespace the stack's Jobs live in.</summary>
    public string Namespace => stack.Metadata.Tenant;

    /// <summary>One admission pass.</summary>
    public async Task<QueuedAdmissionPass> PassAsync(CancellationToken cancellationToken)
    {
        var listed = await cluster.ListAsync("batch/v1", "Job", Namespace, QueuedJobs.QueueLabel, cancellationToken).ConfigureAwait(false);
        var jobs = listed.OfType<V1Job>().Where(j => JobManifest.Outcome(j) is null && j.Metadata.DeletionTimestamp is null).ToDictionary(j => j.Metadata.Name, StringComparer.Ordinal);
        var pending = new List<Workload>();
        var admitted = new List<AdmittedWorkload>();
        foreach (var job in jobs.Values)
        {
            var workload = Workload(job);
            if (job.Spec.Suspend == true)
            {
                pending.Add(workload);
            }
            else if (Flavor(job) is { } flavor)
            {
                admitted.Add(new AdmittedWorkload(workload, flavor, AdmittedOrder(job)));
            }
        }

        // Admission numbers keep rising over finished Jobs too (while they are kept), so they read as an admission order.
        var lastOrder = listed.OfType<V1Job>().Select(AdmittedOrder).Append(0).Max();
        var result = engine.Decide(pending, admitted);
        var evicted = new List<string>();
        var done = new List<(string, string)>();
        foreach (var decision in result.Admitted)
        {
            foreach (var victim in decision.Preempted)
            {
                await UpdateAsync(jobs[victim], j =>
                {
                    j.Spec.Suspend = true;
                    j.Metadata.Labels?.Remove(QueuedJobs.FlavorLabel);
                    Annotate(j, WaitingAnnotation, $"preempted by {decision.Workload.Id}");
                }, cancellationToken).ConfigureAwait(false);
                evicted.Add(victim);
            }

            var order = lastOrder + 1 + done.Count;
            var pool = stack.Cluster.Pools.First(p => p.Name == decision.Flavor);
            await UpdateAsync(jobs[decision.Workload.Id], j => Admit(j, pool, order), cancellationToken).ConfigureAwait(false);
            done.Add((decision.Workload.Id, decision.Flavor));
        }

        foreach (var (name, reason) in result.Pending)
        {
            if (Get(jobs[name].Metadata.Annotations, WaitingAnnotation) != reason)
            {
                await UpdateAsync(jobs[name], j => Annotate(j, WaitingAnnotation, reason), cancellationToken).ConfigureAwait(false);
            }
        }

        var perQueue = stack.Queues.ToDictionary(q => q.Name, _ => 0, StringComparer.Ordinal);
        foreach (var name in result.Pending.Keys)
        {
            var queue = jobs[name].Metadata.Labels[QueuedJobs.QueueLabel];
            perQueue[queue] = perQueue.GetValueOrDefault(queue) + 1;
        }

        var running = stack.Queues.ToDictionary(q => q.Name, _ => 0, StringComparer.Ordinal);
        foreach (var name in admitted.Select(a => a.Workload.Id).Except(evicted).Concat(done.Select(d => d.Item1)))
        {
            var queue = jobs[name].Metadata.Labels[QueuedJobs.QueueLabel];
            running[queue] = running.GetValueOrDefault(queue) + 1;
        }

        return new QueuedAdmissionPass(done, evicted, result.Pending, perQueue, running);
    }

    /// <summary>A Job as admission sees it: its pods' requests times parallelism, its priority and creation order.</summary>
    public static Workload Workload(V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        long milliCpu = 0, memory = 0, gpus = 0;
        foreach (var container in job.Spec.Template.Spec.Containers)
        {
            var requests = container.Resources?.Requests;
            milliCpu += (long)Math.Ceiling((Get(requests, "cpu")?.ToDecimal() ?? 0) * 1000);
            memory += (long)(Get(requests, "memory")?.ToDecimal() ?? 0);
            gpus += (long)(Get(requests, QueuedJobs.GpuResource)?.ToDecimal() ?? Get(container.Resources?.Limits, QueuedJobs.GpuResource)?.ToDecimal() ?? 0);
        }

        var priority = Get(job.Metadata.Annotations, QueuedJobs.PriorityAnnotation) is { } text && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : 0;
        var gpu = gpus > 0 && Get(job.Metadata.Annotations, QueuedJobs.GpuTypeAnnotation) is { } type && Enum.TryParse<GpuType>(type, out var g) ? g : (GpuType?)null;
        return new Workload(
            job.Metadata.Name,
            job.Metadata.Labels[QueuedJobs.QueueLabel],
            priority,
            job.Metadata.CreationTimestamp?.Ticks ?? 0,
            new Quantities(milliCpu, memory, gpus) * (job.Spec.Parallelism ?? 1),
            gpu);
    }

    /// <summary>The pool a running Job holds quota in: the admitter's label, else its required affinity on <c>keelson.dev/pool</c> (Jobs of Keelson's job API).</summary>
    private static string? Flavor(V1Job job) =>
        Get(job.Metadata.Labels, QueuedJobs.FlavorLabel)
        ?? job.Spec.Template.Spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution?.NodeSelectorTerms?
            .SelectMany(t => t.MatchExpressions ?? []).FirstOrDefault(e => e.Key == JobManifest.PoolLabel && e.OperatorProperty == "In" && e.Values?.Count == 1)?.Values[0];

    private static long AdmittedOrder(V1Job job) =>
        Get(job.Metadata.Annotations, AdmittedAnnotation) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static void Admit(V1Job job, NodePool pool, long order)
    {
        job.Spec.Suspend = false;
        job.Metadata.Labels[QueuedJobs.FlavorLabel] = pool.Name;
        Annotate(job, AdmittedAnnotation, order.ToString(CultureInfo.InvariantCulture));
        job.Metadata.Annotations!.Remove(WaitingAnnotation);
        var pod = job.Spec.Template.Spec;
        pod.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = JobManifest.PoolLabel, OperatorProperty = "In", Values = [pool.Name] }] }],
                },
            },
        };
        pod.Tolerations = pool.Taints.Count == 0 ? null
            : [.. pool.Taints.Select(t => new V1Toleration { Key = t.Key, OperatorProperty = t.Value.Length == 0 ? "Exists" : "Equal", Value = t.Value.Length == 0 ? null : t.Value, Effect = t.Effect })];
    }

    private static T? Get<T>(IDictionary<string, T>? map, string key)
        where T : class => map is not null && map.TryGetValue(key, out var value) ? value : null;

    private static void Annotate(V1Job job, string key, string value)
    {
        job.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        job.Metadata.Annotations[key] = value;
    }

    /// <summary>Reads the Job again, changes it and applies the whole object: a stale copy must not undo another change.</summary>
    private async Task UpdateAsync(V1Job job, Action<V1Job> change, CancellationToken cancellationToken)
    {
        if (await cluster.GetAsync(ObjectKey.Of(job), cancellationToken).ConfigureAwait(false) is not V1Job current)
        {
            return;
        }

        change(current);
        current.Status = null;
        await cluster.ApplyAsync(current, cancellationToken).ConfigureAwait(false);
    }
}
