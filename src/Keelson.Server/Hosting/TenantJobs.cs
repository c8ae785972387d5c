using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Operations.Jobs;
using Keelson.Server.Api;
using Keelson.Spec.Model;
using Microsoft.Extensions.Options;

namespace Keelson.Server;

/// <summary>The <c>Keelson:Jobs</c> section: how often the admitter and watcher run when nothing wakes them.</summary>
public sealed class JobSettings
{
    /// <summary>Time between passes (admission, Job creation, status reads, clean-up).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Admitted and running jobs looked at per pass and database.</summary>
    public int BatchSize { get; set; } = 500;
}

/// <summary>
/// The batch job admitter and watcher of both databases. Each pass: admit (a committed decision per tenant, see
/// <see cref="SqlJobStore.AdmitAsync(CancellationToken)"/>); delete the Kubernetes Jobs of preempted and cancelled
/// attempts; create the Job of every admitted attempt by server-side apply under its deterministic name (so a pass
/// repeated after a crash changes nothing); read every running Job and record its end, which releases its quota.
/// The cluster is the tenant's: its stack's cluster profile, sandbox or real (<see cref="DeploymentClusters"/>).
/// </summary>
public sealed partial class TenantJobs(TenantDatabases databases, DeploymentClusters clusters, StackQueueCounts stackQueues, IOptions<JobSettings> options, ILogger<TenantJobs> logger) : BackgroundService
{
    private readonly SemaphoreSlim wake = new(0);

    // Parsed stacks by tenant and spec text, so a pass does not parse every tenant's stack again.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(bool Demo, string Tenant), (string? Spec, StackSpec? Stack)> stacks = new();

    /// <summary>Runs a pass soon, after a submit, cancel or queue change.</summary>
    public void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            wake.Release();
        }
    }

    /// <summary>The tenant's cluster profile and namespace (its stack's), or why there is none.</summary>
    public static (ClusterProfile? Profile, string? Namespace, string? Error) ClusterOf(Operations.Tenants.TenantRecord tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        var (stack, error) = TenantInput.StackOf(tenant.Spec);
        return stack is null ? (null, null, error) : (stack.Cluster, stack.Metadata.Tenant, null);
    }

    /// <summary>One pass over the demo or production database; public so tests can drive it without waiting.</summary>
    public async Task PassAsync(bool demo, CancellationToken cancellationToken)
    {
        var stores = databases.For(demo);
        var jobs = stores.Jobs;
        await jobs.AdmitAsync(cancellationToken).ConfigureAwait(false);
        var targets = new Dictionary<string, Target?>(StringComparer.Ordinal);

        async Task<Target?> TargetOf(string tenantId)
        {
            if (!targets.TryGetValue(tenantId, out var target))
            {
                targets[tenantId] = target = await ResolveAsync(demo, tenantId, cancellationToken).ConfigureAwait(false);
            }

            return target;
        }

        foreach (var cleanup in await jobs.CleanupsAsync(options.Value.BatchSize, cancellationToken).ConfigureAwait(false))
        {
            if (await TargetOf(cleanup.TenantId).ConfigureAwait(false) is { } target)
            {
                await target.Cluster.DeleteAsync(new ObjectKey("batch/v1", "Job", target.Namespace, cleanup.KubernetesName), cancellationToken).ConfigureAwait(false);
                target.Changed = true;
            }

            await jobs.MarkDeletedAsync(cleanup, cancellationToken).ConfigureAwait(false);
        }

        foreach (var job in await jobs.ActiveAsync(options.Value.BatchSize, cancellationToken).ConfigureAwait(false))
        {
            if (await TargetOf(job.TenantId).ConfigureAwait(false) is not { } target)
            {
                await jobs.FinishAsync(job.Id, job.Attempt, false, $"tenant '{job.TenantId}' has no cluster to run on", cancellationToken).ConfigureAwait(false);
                continue;
            }

            var key = new ObjectKey("batch/v1", "Job", target.Namespace, job.KubernetesName!);
            if (job.State == JobState.Admitted)
            {
                if (target.Profile.Pools.FirstOrDefault(p => p.Name == job.Flavor) is not { } pool)
                {
                    await jobs.FinishAsync(job.Id, job.Attempt, false, $"pool '{job.Flavor}' is not in cluster profile {target.Profile.Name}", cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!target.NamespaceApplied)
                {
                    await target.Cluster.ApplyAsync(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = target.Namespace } }, cancellationToken).ConfigureAwait(false);
                    target.NamespaceApplied = true;
                }

                try
                {
                    await target.Cluster.ApplyAsync(JobManifest.Build(job, target.Namespace, pool), cancellationToken).ConfigureAwait(false);
                }
                catch (Delivery.Kubernetes.ClusterException e) when (e.Code is 400 or 403 or 409 or 422)
                {
                    // The cluster refuses this Job (a policy, an admission webhook, a quota): that job fails with the
                    // cluster's reason and its quota is released; the other jobs of the pass go on.
                    await jobs.FinishAsync(job.Id, job.Attempt, false, $"the cluster refused the Kubernetes Job: {e.Reason}: {e.Message}", cancellationToken).ConfigureAwait(false);
                    continue;
                }

                target.Changed = true;
                await jobs.MarkRunningAsync(job.Id, job.Attempt, cancellationToken).ConfigureAwait(false);
                LogCreated(job.TenantId, job.Id, key.Name, pool.Name);
                continue;
            }

            var found = await target.Cluster.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (found is not V1Job live)
            {
                await jobs.FinishAsync(job.Id, job.Attempt, false, $"the Kubernetes Job {key.Name} was deleted outside Keelson", cancellationToken).ConfigureAwait(false);
            }
            else if (JobManifest.Outcome(live) is { } outcome)
            {
                await jobs.FinishAsync(job.Id, job.Attempt, outcome.Succeeded, outcome.Message, cancellationToken).ConfigureAwait(false);
                LogFinished(job.TenantId, job.Id, outcome.Succeeded ? "succeeded" : "failed");
            }
        }

        await AdmitStackQueuesAsync(demo, TargetOf, cancellationToken).ConfigureAwait(false);
        foreach (var target in targets.Values.OfType<Target>().Where(t => t.Changed && t.Checkpoint is not null))
        {
            await target.Checkpoint!(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Admits the queued Jobs of every tenant whose stack declares queues, on its cluster (<see cref="QueuedJobAdmitter"/>),
    /// and records the counts for the queue gauges.
    /// </summary>
    private async Task AdmitStackQueuesAsync(bool demo, Func<string, Task<Target?>> targetOf, CancellationToken cancellationToken)
    {
        var mode = demo ? "demo" : "production";
        var tenants = databases.For(demo).Tenants;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var offset = 0; ; offset += 200)
        {
            var page = await tenants.ListAsync(offset, 200, cancellationToken).ConfigureAwait(false);
            foreach (var tenant in page.Items)
            {
                var key = (demo, tenant.TenantId);
                if (!stacks.TryGetValue(key, out var cached) || cached.Spec != tenant.Spec)
                {
                    stacks[key] = cached = (tenant.Spec, TenantInput.StackOf(tenant.Spec).Stack);
                }

                if (cached.Stack is not { Queues.Count: > 0 } stack || await targetOf(tenant.TenantId).ConfigureAwait(false) is not { } target)
                {
                    continue;
                }

                // Under the cohorts' advisory locks: another replica's pass over the same queues waits for this one.
                var admitter = new QueuedJobAdmitter(stack, target.Cluster);
                var pass = await databases.For(demo).Jobs.UnderAdmissionLockAsync(tenant.TenantId, StackQueues.For(stack), admitter.PassAsync, cancellationToken).ConfigureAwait(false);
                target.Changed |= pass.Admitted.Count > 0 || pass.Evicted.Count > 0;
                stackQueues.Set(mode, tenant.TenantId, stack.Queues.ToDictionary(q => q.Name, q => (pass.PendingPerQueue[q.Name], pass.RunningPerQueue[q.Name]), StringComparer.Ordinal));
                seen.Add(tenant.TenantId);
                foreach (var (job, flavor) in pass.Admitted)
                {
                    LogStackAdmitted(tenant.TenantId, job, flavor);
                }
            }

            if (page.Items.Count < 200)
            {
                break;
            }
        }

        stackQueues.Retain(mode, seen);
    }

    /// <inheritdoc/>
    public override void Dispose()
    {
        wake.Dispose();
        base.Dispose();
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!databases.IsOpen)
        {
            await Task.Delay(50, stoppingToken).ConfigureAwait(false);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var demo in new[] { true, false })
            {
                try
                {
                    await PassAsync(demo, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // A cluster or database that does not answer now is tried again next pass; the decisions are durable.
                    LogPassFailed(demo ? "demo" : "production", e.GetType().Name, e.Message);
                }
            }

            try
            {
                await wake.WaitAsync(options.Value.PollInterval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<Target?> ResolveAsync(bool demo, string tenantId, CancellationToken cancellationToken)
    {
        if (await databases.For(demo).Tenants.GetAsync(tenantId, cancellationToken).ConfigureAwait(false) is not { } tenant)
        {
            return null;
        }

        var (profile, ns, _) = ClusterOf(tenant);
        if (profile is null)
        {
            return null;
        }

        try
        {
            var (cluster, checkpoint) = await clusters.ForAsync(demo, profile, cancellationToken).ConfigureAwait(false);
            return new Target(cluster, checkpoint, profile, ns!);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} of tenant {Tenant}: Kubernetes Job {Name} created on pool {Pool}")]
    private partial void LogCreated(string tenant, long jobId, string name, string pool);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued Job {Name} of tenant {Tenant} admitted on pool {Pool}")]
    private partial void LogStackAdmitted(string tenant, string name, string pool);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} of tenant {Tenant} {Outcome}")]
    private partial void LogFinished(string tenant, long jobId, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A {Mode} job pass failed ({ExceptionType}: {Message}); it runs again next interval")]
    private partial void LogPassFailed(string mode, string exceptionType, string message);

    private sealed class Target(ICluster cluster, Func<CancellationToken, Task>? checkpoint, ClusterProfile profile, string ns)
    {
        public ICluster Cluster { get; } = cluster;

        public Func<CancellationToken, Task>? Checkpoint { get; } = checkpoint;

        public ClusterProfile Profile { get; } = profile;

        public string Namespace { get; } = ns;

        public bool NamespaceApplied { get; set; }

        public bool Changed { get; set; }
    }
}
