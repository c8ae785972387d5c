using System.Globalization;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Spec.Model;

namespace Keelson.Operations.Jobs;

/// <summary>One sample of a simulated night: cluster time, nodes of the pool, and jobs running and waiting.</summary>
public sealed record QueueSample(TimeSpan At, int Nodes, int Running, int Waiting);

/// <summary>What a simulated night cost: when the last job ended, GPU-hours used by jobs, node-hours paid for, and the pool's nodes over time.</summary>
public sealed record QueueSimulationReport(TimeSpan Makespan, double GpuHours, double NodeHours, double CostUsd, int PeakNodes, int NodesAtEnd, IReadOnlyList<QueueSample> Samples);

/// <summary>
/// Runs a batch of jobs on a cluster (the sandbox, whose clock <see cref="ICluster.WaitAsync"/> advances) either
/// through a queue — the admission engine deciding each step, Kubernetes Jobs created only for admitted jobs and
/// quota released as they end, as the server does — or, with no queue, as plain FIFO: every Job created at once and
/// left to the scheduler and cluster autoscaler. The same Job objects either way (<see cref="JobManifest"/>).
/// </summary>
public static class JobQueueSimulation
{
    /// <summary>Runs until every job ended and the pool is back at its minimum, or <paramref name="limit"/> passed.</summary>
    public static async Task<QueueSimulationReport> RunAsync(
        ICluster cluster, ClusterProfile profile, string pool, string ns, IReadOnlyList<JobSpec> jobs, ClusterQueueSpec? queue, TimeSpan step, TimeSpan limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(jobs);
        var nodePool = profile.Pools.Single(p => p.Name == pool);
        await cluster.ApplyAsync(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = ns } }, cancellationToken).ConfigureAwait(false);
        var start = cluster.Time.GetUtcNow();
        var records = jobs.Select((spec, i) => new JobRecord(i + 1, ns, spec, JobState.Pending, null, null, 0, start, start, null, [])).ToList();
        var engine = queue is null ? null : new AdmissionEngine([queue]);
        var admitted = new Dictionary<string, AdmittedWorkload>(StringComparer.Ordinal);
        var waiting = records.ToDictionary(r => r.Id.ToString(CultureInfo.InvariantCulture), r => r, StringComparer.Ordinal);
        var created = new HashSet<string>(StringComparer.Ordinal);
        var finished = new HashSet<string>(StringComparer.Ordinal);
        var samples = new List<QueueSample>();
        var sequence = 0L;
        var nodeHours = 0.0;
        TimeSpan? makespan = null;

        async Task CreateAsync(JobRecord record)
        {
            var job = record with { Attempt = 1, Flavor = pool };
            await cluster.ApplyAsync(JobManifest.Build(job, ns, nodePool), cancellationToken).ConfigureAwait(false);
            created.Add(job.KubernetesName!);
        }

        if (engine is null)
        {
            foreach (var record in records)
            {
                await CreateAsync(record).ConfigureAwait(false);
            }

            waiting.Clear();
        }

        while (cluster.Time.GetUtcNow() - start < limit)
        {
            if (engine is not null && waiting.Count > 0)
            {
                var pending = waiting.Values.Select(r => new Workload(r.Id.ToString(CultureInfo.InvariantCulture), queue!.Name, r.Spec.Priority, r.Id, r.Spec.Request, r.Spec.Gpu));
                foreach (var decision in engine.Decide(pending, admitted.Values).Admitted)
                {
                    admitted[decision.Workload.Id] = new AdmittedWorkload(decision.Workload, decision.Flavor, sequence++);
                    await CreateAsync(waiting[decision.Workload.Id]).ConfigureAwait(false);
                    waiting.Remove(decision.Workload.Id);
                }
            }

            await cluster.WaitAsync(step, cancellationToken).ConfigureAwait(false);
            var live = (await cluster.ListAsync("batch/v1", "Job", ns, null, cancellationToken).ConfigureAwait(false)).OfType<V1Job>().ToList();
            var running = 0;
            foreach (var job in live)
            {
                if (JobManifest.Outcome(job) is null)
                {
                    running += job.Status?.Active > 0 ? 1 : 0;
                }
                else if (finished.Add(job.Metadata.Name))
                {
                    admitted.Remove(job.Metadata.Labels[JobManifest.JobIdLabel]);
                }
            }

            var nodes = (await cluster.ListAsync("v1", "Node", null, null, cancellationToken).ConfigureAwait(false))
                .Count(n => n.Metadata.Labels?.TryGetValue(JobManifest.PoolLabel, out var p) == true && p == pool);
            var at = cluster.Time.GetUtcNow() - start;
            nodeHours += nodes * step.TotalHours;
            samples.Add(new QueueSample(at, nodes, running, waiting.Count + created.Count - finished.Count - running));
            if (finished.Count == records.Count)
            {
                makespan ??= at;
                if (nodes <= nodePool.MinNodes)
                {
                    break;
                }
            }
        }

        // GPU-hours the jobs used: each finished pod's running time (not the Job's, which includes waiting to be scheduled).
        var pods = (await cluster.ListAsync("v1", "Pod", ns, null, cancellationToken).ConfigureAwait(false)).OfType<V1Pod>();
        var gpuHours = pods
            .Select(p => (Pod: p, Ended: p.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Terminated))
            .Where(p => p.Ended is { StartedAt: not null, FinishedAt: not null })
            .Sum(p => (p.Ended!.FinishedAt!.Value - p.Ended.StartedAt!.Value).TotalHours
                * records[int.Parse(p.Pod.Metadata.Labels[JobManifest.JobIdLabel], CultureInfo.InvariantCulture) - 1].Spec.Gpus);
        return new QueueSimulationReport(
            makespan ?? limit, gpuHours, nodeHours, nodeHours * nodePool.Instance.Prices.OnDemandUsd, samples.Count == 0 ? 0 : samples.Max(s => s.Nodes), samples.Count == 0 ? 0 : samples[^1].Nodes, samples);
    }
}
