using k8s;
using k8s.Models;
using Keelson.Delivery;
using Keelson.Delivery.Clusters;
using Keelson.Delivery.Diff;
using Keelson.Operations.Storage;
using Keelson.Operations.Tenants;
using Keelson.Rendering.Output;
using Keelson.Validation;
using Keelson.Validation.Loading;
using Microsoft.Extensions.Logging;
using DeliveryInventory = Keelson.Delivery.Inventory.Inventory;

namespace Keelson.Operations.Deployments;

/// <summary>How durable deployments wait, and how long a replica's claim on a tenant lasts.</summary>
public sealed record DeploymentOptions
{
    /// <summary>Longest wait for every object to become ready in the verify step (cluster time).</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Time between readiness polls (cluster time).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a tenant's lease lasts unless renewed; a dead replica's deployments are resumed by another after this.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a replica looks for unfinished deployments it was not told about (left by a stopped or dead replica).</summary>
    public TimeSpan ScanInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many times a step is tried when the cluster is unreachable or answers 429/5xx, before it fails.</summary>
    public int TransientAttempts { get; init; } = 4;

    /// <summary>The wait before the first retry of a step; it doubles with each retry (cluster time).</summary>
    public TimeSpan TransientBackoff { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>What a deployment does when the cluster cannot hold its pods: wait for room, fail at once, or not look.</summary>
    public CapacityPolicy Capacity { get; init; } = CapacityPolicy.Wait;

    /// <summary>How long a deployment waits for capacity, from its first look, before it fails with the reason.</summary>
    public TimeSpan CapacityWaitTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>How often a waiting deployment looks at the cluster again.</summary>
    public TimeSpan CapacityRetryInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many deployments one replica runs at once (per database); tenants take turns for the slots.</summary>
    public int MaxConcurrent { get; init; } = 8;
}

/// <summary>
/// Runs one deployment as a persisted workflow: validate → plan → namespace → config → storage → workloads →
/// services → ingress → monitoring → verify. Each step is recorded before and after it runs; steps recorded as
/// succeeded are skipped on a later run, and the others run again, which is safe because applying is server-side
/// apply. A cluster that fails transiently (unreachable, 429, 5xx) is tried again within the step with back-off; a
/// step that still fails compensates: the previous inventory is restored, or on a first delivery the objects are
/// removed (as <c>helm install --atomic</c>). Cancellation (shutdown, a lost lease) leaves the run resumable.
/// </summary>
public sealed partial class DeploymentWorkflow(
    IDeploymentStore deployments,
    ITenantStore tenants,
    IDeploymentTargets targets,
    DeploymentEvents events,
    DeploymentOptions options,
    TimeProvider time,
    ILogger<DeploymentWorkflow> logger)
{
    /// <summary>The steps in the order they run.</summary>
    public static IReadOnlyList<DeploymentStepName> Steps { get; } = Enum.GetValues<DeploymentStepName>();

    /// <summary>The options in force.</summary>
    public DeploymentOptions Options => options;

    /// <summary>Runs (or resumes) <paramref name="deployment"/> to its end; the caller holds the tenant's lease.</summary>
    public async Task<DeploymentRecord> RunAsync(DeploymentRecord deployment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var steps = (await deployments.ListStepsAsync(deployment.Id, cancellationToken).ConfigureAwait(false)).ToDictionary(s => s.Name);
        if (deployment.State == DeploymentState.Pending)
        {
            deployment = await deployments.UpdateStateAsync(deployment.Id, DeploymentState.Running, null, cancellationToken).ConfigureAwait(false);
            await tenants.SetStatusAsync(deployment.TenantId, TenantStatus.Deploying, cancellationToken).ConfigureAwait(false);
        }

        // Every step is written up front, so whoever polls sees the whole workflow from the start.
        foreach (var name in Steps.Where(n => !steps.ContainsKey(n)))
        {
            steps[name] = new DeploymentStep { DeploymentId = deployment.Id, Index = (int)name, Name = name, State = DeploymentStepState.Pending };
            await deployments.UpsertStepAsync(steps[name], cancellationToken).ConfigureAwait(false);
        }

        DeploymentTarget? target = null;
        foreach (var name in Steps)
        {
            var step = steps[name];
            if (step.State is DeploymentStepState.Succeeded)
            {
                continue;
            }

            if (step.State is DeploymentStepState.Failed)
            {
                // The process stopped between recording the failure and finishing compensation: compensate now.
                return await FailAsync(deployment, steps, step, target, cancellationToken).ConfigureAwait(false);
            }

            // A deployment waiting for capacity keeps the time of its first look, which its wait is measured from.
            var waiting = deployment.State == DeploymentState.WaitingForCapacity;
            step = step with { State = DeploymentStepState.Running, Attempts = step.Attempts + 1, StartedAt = waiting ? step.StartedAt ?? time.GetUtcNow() : time.GetUtcNow(), FinishedAt = null, Message = null };
            await Record(steps, step, waiting ? "looking for capacity again" : step.Attempts > 1 ? $"started again (attempt {step.Attempts}): the last attempt was interrupted" : "started", cancellationToken).ConfigureAwait(false);
            LogStep(deployment.Id, deployment.TenantId, name, step.Attempts);
            string message;
            string? shortfall = null;
            try
            {
                target ??= await targets.ResolveAsync(deployment, cancellationToken).ConfigureAwait(false);
                message = await RunStepAsync(deployment, name, target, cancellationToken).ConfigureAwait(false);
                if (name == DeploymentStepName.Plan)
                {
                    (message, shortfall) = await CheckCapacityAsync(deployment, target, step.StartedAt!.Value, message, cancellationToken).ConfigureAwait(false);
                }

                if (target.Checkpoint is { } checkpoint)
                {
                    await checkpoint(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (IsStepFailure(e, cancellationToken))
            {
                step = step with { State = DeploymentStepState.Failed, FinishedAt = time.GetUtcNow(), Message = e.Message };
                await Record(steps, step, $"failed: {e.Message}", cancellationToken).ConfigureAwait(false);
                return await FailAsync(deployment, steps, step, target, cancellationToken).ConfigureAwait(false);
            }

            if (shortfall is not null)
            {
                // Nothing was applied: the run ends here, giving its slot and lease up, and a later scan looks again.
                await Record(steps, step with { State = DeploymentStepState.Pending, Message = shortfall }, shortfall, cancellationToken).ConfigureAwait(false);
                LogWaiting(deployment.Id, deployment.TenantId, shortfall);
                return await deployments.UpdateStateAsync(deployment.Id, DeploymentState.WaitingForCapacity, shortfall, cancellationToken).ConfigureAwait(false);
            }

            if (waiting)
            {
                deployment = await deployments.UpdateStateAsync(deployment.Id, DeploymentState.Running, null, cancellationToken).ConfigureAwait(false);
            }

            await Record(steps, step with { State = DeploymentStepState.Succeeded, FinishedAt = time.GetUtcNow(), Message = message }, message, cancellationToken).ConfigureAwait(false);
        }

        // The deployment's own state is written last: whoever sees it finished sees the tenant and the undone
        // deployment already updated (a run stopped in between writes them again on resume).
        if (deployment.RollbackOf is { } undone)
        {
            await deployments.UpdateStateAsync(undone, DeploymentState.RolledBack, $"rolled back by deployment {deployment.Id} (revision {deployment.Revision})", cancellationToken).ConfigureAwait(false);
        }

        await tenants.SetStatusAsync(deployment.TenantId, deployment.Action == DeploymentAction.Stop ? TenantStatus.Stopped : TenantStatus.Running, cancellationToken).ConfigureAwait(false);
        var done = await deployments.UpdateStateAsync(deployment.Id, DeploymentState.Succeeded, null, cancellationToken).ConfigureAwait(false);

        LogFinished(deployment.Id, deployment.TenantId, done.State);
        return done;
    }

    // Cancellation by the caller means "stop, resume later"; everything else a step throws (cluster errors, invalid
    // objects, readiness failures, an HTTP timeout) is the step failing.
    private static bool IsStepFailure(Exception e, CancellationToken cancellationToken) =>
        !(e is OperationCanceledException && cancellationToken.IsCancellationRequested) && e is not OutOfMemoryException;

    private Task<string> RunStepAsync(DeploymentRecord deployment, DeploymentStepName name, DeploymentTarget target, CancellationToken cancellationToken)
    {
        var progress = new StepProgress(events, deployment.Id, name, time);
        return RetryTransientAsync(deployment, name, target, () => RunStepOnceAsync(name, target, progress, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// The plan step's message with the capacity verdict, and the reason to wait when the policy is to wait and the
    /// cluster cannot hold the pods yet; <see cref="DeploymentTargetException"/> when the policy is to fail or the wait is over.
    /// </summary>
    private async Task<(string Message, string? Shortfall)> CheckCapacityAsync(
        DeploymentRecord deployment, DeploymentTarget target, DateTimeOffset firstLook, string message, CancellationToken cancellationToken)
    {
        if (options.Capacity == CapacityPolicy.Off || target.Capacity is not { } capacity)
        {
            return (message, null);
        }

        var verdict = await RetryTransientAsync(deployment, DeploymentStepName.Plan, target, () => capacity(cancellationToken), cancellationToken).ConfigureAwait(false);
        if (verdict.Fits)
        {
            return ($"{message}; capacity: {verdict.Message}", null);
        }

        if (options.Capacity == CapacityPolicy.Fail)
        {
            throw new DeploymentTargetException($"the cluster cannot hold it: {verdict.Message}");
        }

        var waited = time.GetUtcNow() - firstLook;
        return waited >= options.CapacityWaitTimeout
            ? throw new DeploymentTargetException($"no capacity appeared within {options.CapacityWaitTimeout}: {verdict.Message}")
            : (message, $"waiting for capacity: {verdict.Message}");
    }

    private async Task<T> RetryTransientAsync<T>(DeploymentRecord deployment, DeploymentStepName name, DeploymentTarget target, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        var wait = options.TransientBackoff;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < options.TransientAttempts && TransientErrors.IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                // A blip of the API server (a restart, a load balancer, throttling) should not fail and roll back a delivery:
                // the step is idempotent, so it is simply run again.
                events.Publish(new DeploymentEvent(deployment.Id, time.GetUtcNow(), name, null, $"the cluster failed transiently ({e.Message}); trying again in {wait.TotalSeconds:0.#} s"));
                LogTransient(deployment.Id, deployment.TenantId, name, attempt, e.Message);
                await target.Cluster.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
                wait *= 2;
            }
        }
    }

    private async Task<string> RunStepOnceAsync(DeploymentStepName name, DeploymentTarget target, StepProgress progress, CancellationToken cancellationToken) =>
        name switch
        {
            DeploymentStepName.Validate => Validate(target),
            DeploymentStepName.Plan => await PlanAsync(target, cancellationToken).ConfigureAwait(false),
            DeploymentStepName.Verify => await VerifyAsync(target, progress, cancellationToken).ConfigureAwait(false),
            _ => await ApplyAsync(target, PhaseOf(name), progress, cancellationToken).ConfigureAwait(false),
        };

    /// <summary>The delivery phase an apply step runs.</summary>
    public static DeliveryPhase PhaseOf(DeploymentStepName name) => name switch
    {
        DeploymentStepName.Namespace => DeliveryPhase.Namespace,
        DeploymentStepName.Config => DeliveryPhase.Config,
        DeploymentStepName.Storage => DeliveryPhase.Storage,
        DeploymentStepName.Workloads => DeliveryPhase.Workloads,
        DeploymentStepName.Services => DeliveryPhase.Services,
        DeploymentStepName.Ingress => DeliveryPhase.Ingress,
        DeploymentStepName.Monitoring => DeliveryPhase.Monitoring,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "not an apply step"),
    };

    private static string Validate(DeploymentTarget target)
    {
        var documents = new List<ManifestDocument>();
        var problems = new List<Finding>();
        ManifestLoader.Parse(ManifestYaml.Documents(target.Objects), target.Namespace + ".yaml", documents, problems);
        var report = Validator.Default.Validate(new LoadResult(documents, problems));
        var errors = report.Findings.Where(f => f.Severity == Severity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new DeploymentTargetException(
                $"{errors.Count} validation error(s): {string.Join("; ", errors.Take(3).Select(f => $"{f.Target}: {f.CheckId}: {f.Message}"))}");
        }

        var warnings = report.Findings.Count(f => f.Severity == Severity.Warning);
        return $"{target.Objects.Count} objects valid, {warnings} warning(s)";
    }

    private static async Task<string> PlanAsync(DeploymentTarget target, CancellationToken cancellationToken)
    {
        var diffs = await Differ.DiffAsync(target.Cluster, target.Namespace, target.Objects, cancellationToken).ConfigureAwait(false);
        var previous = await DeliveryInventory.ReadAsync(target.Cluster, target.Namespace, cancellationToken).ConfigureAwait(false);
        int Count(DiffAction action) => diffs.Count(d => d.Action == action);
        return $"{Count(DiffAction.Create)} to create, {Count(DiffAction.Update)} to change, {Count(DiffAction.Unchanged)} unchanged, {Count(DiffAction.Prune)} to prune " +
               $"on {target.Cluster.Description} ({(previous is null ? "first delivery" : $"replacing revision {previous.Revision}")})";
    }

    private async Task<string> ApplyAsync(DeploymentTarget target, DeliveryPhase phase, StepProgress progress, CancellationToken cancellationToken)
    {
        var objects = target.Objects.Where(o => DeliveryPhases.Of(o.Kind) == phase).ToList();
        if (objects.Count == 0)
        {
            return "nothing to apply";
        }

        await DeployerFor(target).ApplyAsync(objects, progress, cancellationToken).ConfigureAwait(false);
        return $"applied {objects.Count}: {string.Join(", ", objects.GroupBy(o => o.Kind).Select(g => $"{g.Count()} {g.Key}"))}";
    }

    // A Service whose selected workloads all want zero replicas (a stopped tenant) can have no endpoints; waiting for one would never end.
    private static bool WantsNoPods(IKubernetesObject<V1ObjectMeta> resource, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> all)
    {
        if (resource is not V1Service { Spec.Selector: { Count: > 0 } selector })
        {
            return false;
        }

        var backing = all.Select(o => o switch
        {
            V1Deployment d => (d.Spec.Template.Metadata?.Labels, d.Spec.Replicas ?? 1),
            V1StatefulSet s => (s.Spec.Template.Metadata?.Labels, s.Spec.Replicas ?? 1),
            _ => ((IDictionary<string, string>?)null, 0),
        }).Where(w => w.Item1 is { } labels && selector.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value)).ToList();
        return backing.Count > 0 && backing.All(w => w.Item2 == 0);
    }

    private async Task<string> VerifyAsync(DeploymentTarget target, StepProgress progress, CancellationToken cancellationToken)
    {
        var deployer = DeployerFor(target);
        var ordered = Deployer.Ordered(target.Objects);
        var (_, failure) = await deployer.WaitReadyAsync([.. ordered.Where(o => !WantsNoPods(o, ordered))], progress, cancellationToken).ConfigureAwait(false);
        if (failure is not null)
        {
            throw new DeploymentTargetException(failure);
        }

        // A run stopped after committing but before recording the step finds its own inventory: nothing more to do.
        var previous = await DeliveryInventory.ReadAsync(target.Cluster, target.Namespace, cancellationToken).ConfigureAwait(false);
        if (previous is not null && previous.Records(ordered))
        {
            return $"{ordered.Count} objects ready; revision {previous.Revision} already recorded";
        }

        var (revision, pruned) = await deployer.CommitAsync(target.Namespace, ordered, previous, progress, cancellationToken).ConfigureAwait(false);
        return $"{ordered.Count} objects ready; revision {revision} recorded, {pruned.Count} pruned";
    }

    private async Task<DeploymentRecord> FailAsync(
        DeploymentRecord deployment, Dictionary<DeploymentStepName, DeploymentStep> steps, DeploymentStep failed, DeploymentTarget? target, CancellationToken cancellationToken)
    {
        var error = $"{WireName.Of(failed.Name)} failed: {failed.Message}";
        var applied = steps.Values.Where(s => s.Name is not (DeploymentStepName.Validate or DeploymentStepName.Plan) && s.Attempts > 0).ToList();
        var restored = false;
        if (applied.Count > 0)
        {
            try
            {
                target ??= await targets.ResolveAsync(deployment, cancellationToken).ConfigureAwait(false);
                (var compensation, restored) = await CompensateAsync(deployment, target, cancellationToken).ConfigureAwait(false);
                foreach (var step in applied.Where(s => s.State == DeploymentStepState.Succeeded))
                {
                    await Record(steps, step with { State = DeploymentStepState.Compensated, Message = $"{step.Message}; undone: {compensation}" }, null, cancellationToken).ConfigureAwait(false);
                }

                error += $"; {compensation}";
            }
            catch (Exception e) when (IsStepFailure(e, cancellationToken))
            {
                error += $"; compensation failed: {e.Message}";
            }
        }

        await tenants.SetStatusAsync(deployment.TenantId, restored ? TenantStatus.Running : TenantStatus.Failed, cancellationToken).ConfigureAwait(false);
        var done = await deployments.UpdateStateAsync(deployment.Id, DeploymentState.Failed, error, cancellationToken).ConfigureAwait(false);
        LogFailed(deployment.Id, deployment.TenantId, error);
        return done;
    }

    private async Task<(string Message, bool Restored)> CompensateAsync(DeploymentRecord deployment, DeploymentTarget target, CancellationToken cancellationToken)
    {
        var progress = new StepProgress(events, deployment.Id, DeploymentStepName.Verify, time);
        var ordered = Deployer.Ordered(target.Objects);
        var previous = await DeliveryInventory.ReadAsync(target.Cluster, target.Namespace, cancellationToken).ConfigureAwait(false);
        if (previous is null)
        {
            var removed = 0;
            foreach (var key in ordered.Select(ObjectKey.Of).Reverse())
            {
                if (await target.Cluster.DeleteAsync(key, cancellationToken).ConfigureAwait(false))
                {
                    removed++;
                }
            }

            return ($"first delivery: removed the {removed} objects it applied", false);
        }

        var pruned = await DeployerFor(target).RollbackAsync(ordered, previous, progress, cancellationToken).ConfigureAwait(false);
        if (target.Checkpoint is { } checkpoint)
        {
            await checkpoint(cancellationToken).ConfigureAwait(false);
        }

        return ($"rolled back to revision {previous.Revision}, removed {pruned.Count} objects it did not have", true);
    }

    private Deployer DeployerFor(DeploymentTarget target) =>
        new(target.Cluster, new DeployOptions { Timeout = options.ReadyTimeout, PollInterval = options.PollInterval });

    private async Task Record(Dictionary<DeploymentStepName, DeploymentStep> steps, DeploymentStep step, string? line, CancellationToken cancellationToken)
    {
        await deployments.UpsertStepAsync(step, cancellationToken).ConfigureAwait(false);
        steps[step.Name] = step;
        if (line is not null)
        {
            events.Publish(new DeploymentEvent(step.DeploymentId, time.GetUtcNow(), step.Name, null, line));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment {DeploymentId} of {TenantId}: step {Step}, attempt {Attempt}")]
    private partial void LogStep(string deploymentId, string tenantId, DeploymentStepName step, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment {DeploymentId} of {TenantId}: step {Step} try {Attempt} failed transiently ({Error}); retrying")]
    private partial void LogTransient(string deploymentId, string tenantId, DeploymentStepName step, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment {DeploymentId} of {TenantId} is {Reason}")]
    private partial void LogWaiting(string deploymentId, string tenantId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deployment {DeploymentId} of {TenantId} {State}")]
    private partial void LogFinished(string deploymentId, string tenantId, DeploymentState state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deployment {DeploymentId} of {TenantId} failed: {Error}")]
    private partial void LogFailed(string deploymentId, string tenantId, string error);

    /// <summary>Object-level delivery lines of one step, published as they happen (not through a synchronisation context, so in order).</summary>
    private sealed class StepProgress(DeploymentEvents events, string deploymentId, DeploymentStepName step, TimeProvider time) : IProgress<DeployEvent>
    {
        public void Report(DeployEvent value) =>
            events.Publish(new DeploymentEvent(deploymentId, time.GetUtcNow(), step, value.Key?.ToString(), value.Message));
    }
}
