using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Delivery.Readiness;
using Keelson.Rendering;

namespace Keelson.Delivery;

/// <summary>
/// Delivers a stack's objects to a cluster: apply in dependency order, wait for readiness per kind, then prune what
/// left the stack and record the new inventory; a failed rollout goes back to the previous inventory instead.
/// </summary>
public sealed class Deployer(ICluster cluster, DeployOptions? options = null)
{
    private readonly DeployOptions options = options ?? new DeployOptions();

    /// <summary>Delivers <paramref name="objects"/>, whose inventory lives in namespace <paramref name="ns"/>.</summary>
    public async Task<DeployResult> DeployAsync(string ns, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects, IProgress<DeployEvent>? progress, CancellationToken cancellationToken)
    {
        var started = cluster.Time.GetUtcNow();
        var previous = await Inventory.Inventory.ReadAsync(cluster, ns, cancellationToken).ConfigureAwait(false);
        var ordered = Ordered(objects);
        await ApplyAsync(ordered, progress, cancellationToken).ConfigureAwait(false);
        var (outcomes, failure) = await WaitReadyAsync(ordered, progress, cancellationToken).ConfigureAwait(false);
        if (failure is null)
        {
            var (revision, pruned) = await CommitAsync(ns, ordered, previous, progress, cancellationToken).ConfigureAwait(false);
            return new DeployResult(DeployOutcome.Succeeded, revision, outcomes, pruned, cluster.Time.GetUtcNow() - started, null);
        }

        if (previous is null || !options.RollbackOnFailure)
        {
            Report(progress, null, $"failed: {failure}; {(previous is null ? "no previous revision to roll back to" : "rollback is off")}, objects left as applied");
            return new DeployResult(DeployOutcome.Failed, previous?.Revision ?? 0, outcomes, [], cluster.Time.GetUtcNow() - started, failure);
        }

        Report(progress, null, $"failed: {failure}; rolling back to revision {previous.Revision}");
        var removed = await RollbackAsync(ordered, previous, progress, cancellationToken).ConfigureAwait(false);
        return new DeployResult(DeployOutcome.RolledBack, previous.Revision, outcomes, removed, cluster.Time.GetUtcNow() - started, failure);
    }

    /// <summary>Applies objects in dependency order (server-side apply: applying again changes nothing).</summary>
    public async Task ApplyAsync(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects, IProgress<DeployEvent>? progress, CancellationToken cancellationToken)
    {
        foreach (var resource in Ordered(objects))
        {
            // A queued Job that exists already belongs to the admitter: it unsuspends it and pins its pods, and a
            // started Job's template cannot change, so applying the rendered (suspended, unpinned) Job again would
            // stop it or be refused. Delete the Job to run it again.
            if (resource is V1Job { Metadata.Labels: { } labels } && labels.ContainsKey(Rendering.Objects.QueuedJobs.QueueLabel)
                && await cluster.GetAsync(ObjectKey.Of(resource), cancellationToken).ConfigureAwait(false) is not null)
            {
                Report(progress, ObjectKey.Of(resource), "left as is (queued Job, owned by the admitter)");
                continue;
            }

            await cluster.ApplyAsync(resource, cancellationToken).ConfigureAwait(false);
            Report(progress, ObjectKey.Of(resource), "applied");
        }
    }

    /// <summary>Prunes what <paramref name="previous"/> had and <paramref name="objects"/> do not, then records them as the next revision.</summary>
    public async Task<(int Revision, IReadOnlyList<ObjectKey> Pruned)> CommitAsync(
        string ns, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects, Inventory.Inventory? previous, IProgress<DeployEvent>? progress, CancellationToken cancellationToken)
    {
        var keys = objects.Select(ObjectKey.Of).ToList();
        var pruned = previous is null ? [] : await PruneAsync(previous.Keys, keys, progress, cancellationToken).ConfigureAwait(false);
        var revision = (previous?.Revision ?? 0) + 1;
        await cluster.ApplyAsync(Inventory.Inventory.Of(revision, objects).ToConfigMap(ns), cancellationToken).ConfigureAwait(false);
        Report(progress, null, $"revision {revision} recorded in ConfigMap {ns}/{Inventory.Inventory.ConfigMapName}");
        return (revision, pruned);
    }

    /// <summary>Goes back to <paramref name="previous"/>: re-applies its objects, deletes those only <paramref name="applied"/> has, waits.</summary>
    public async Task<IReadOnlyList<ObjectKey>> RollbackAsync(
        IReadOnlyList<IKubernetesObject<V1ObjectMeta>> applied, Inventory.Inventory previous, IProgress<DeployEvent>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(previous);
        var restored = Ordered(previous.Objects);
        await ApplyAsync(restored, progress, cancellationToken).ConfigureAwait(false);
        var removed = await PruneAsync([.. applied.Select(ObjectKey.Of)], previous.Keys, progress, cancellationToken).ConfigureAwait(false);
        await WaitReadyAsync(restored, progress, cancellationToken).ConfigureAwait(false);
        return removed;
    }

    /// <summary>Deletes every object of a namespace's inventory, then the inventory; the keys deleted.</summary>
    public async Task<IReadOnlyList<ObjectKey>> DeleteAsync(string ns, IProgress<DeployEvent>? progress, CancellationToken cancellationToken)
    {
        var inventory = await Inventory.Inventory.ReadAsync(cluster, ns, cancellationToken).ConfigureAwait(false);
        if (inventory is null)
        {
            return [];
        }

        var deleted = await PruneAsync(inventory.Keys, [], progress, cancellationToken).ConfigureAwait(false);
        await cluster.DeleteAsync(Inventory.Inventory.Key(ns), cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <summary>Dependency order: namespaces and CRDs first, config and storage, workloads, services, ingress, monitoring.</summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Ordered(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects) =>
        [.. objects.Select((o, i) => (o, i)).OrderBy(x => ApplyOrder.Rank(x.o.Kind)).ThenBy(x => x.i).Select(x => x.o)];

    /// <summary>Waits until every object is ready, one fails, or the timeout passes; the outcomes and the failure, if any.</summary>
    public async Task<(IReadOnlyList<ObjectOutcome> Outcomes, string? Failure)> WaitReadyAsync(
        IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects, IProgress<DeployEvent>? progress, CancellationToken cancellationToken)
    {
        var keys = objects.Select(ObjectKey.Of).ToList();
        var last = keys.ToDictionary(k => k, _ => Readiness.Readiness.Waiting("not looked at yet"));
        var deadline = cluster.Time.GetUtcNow() + options.Timeout;
        while (true)
        {
            foreach (var key in keys.Where(k => last[k].State == ReadinessState.InProgress))
            {
                var now = await ReadinessOfAsync(key, cancellationToken).ConfigureAwait(false);
                if (now != last[key] && ReadinessRules.Waits(key.Kind))
                {
                    Report(progress, key, now.Message);
                }

                last[key] = now;
            }

            var outcomes = keys.Select(k => new ObjectOutcome(k, last[k])).ToList();
            if (outcomes.FirstOrDefault(o => o.Readiness.State == ReadinessState.Failed) is { } failed)
            {
                return (outcomes, $"{failed.Key}: {failed.Readiness.Message}");
            }

            if (outcomes.All(o => o.Readiness.State == ReadinessState.Ready))
            {
                return (outcomes, null);
            }

            if (cluster.Time.GetUtcNow() >= deadline)
            {
                // Name a workload when one is stuck: a Service without endpoints is only the symptom.
                var stuck = outcomes.Where(o => o.Readiness.State != ReadinessState.Ready)
                    .OrderBy(o => o.Key.Kind is "Deployment" or "StatefulSet" or "DaemonSet" or "Job" ? 0 : 1)
                    .First();
                return (outcomes, $"timed out after {options.Timeout}: {stuck.Key}: {stuck.Readiness.Message}");
            }

            await cluster.WaitAsync(options.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Readiness.Readiness> ReadinessOfAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        if (!ReadinessRules.Waits(key.Kind))
        {
            return Readiness.Readiness.Ready("exists");
        }

        var live = await cluster.GetAsync(key, cancellationToken).ConfigureAwait(false);
        if (live is null)
        {
            return Readiness.Readiness.Waiting("not found");
        }

        var endpoints = live is V1Service
            ? await cluster.GetAsync(key with { ApiVersion = "v1", Kind = "Endpoints" }, cancellationToken).ConfigureAwait(false) as V1Endpoints
            : null;
        return ReadinessRules.Of(live, endpoints);
    }

    private async Task<IReadOnlyList<ObjectKey>> PruneAsync(IReadOnlyList<ObjectKey> had, IReadOnlyList<ObjectKey> keep, IProgress<DeployEvent>? progress, CancellationToken cancellationToken)
    {
        var pruned = new List<ObjectKey>();
        foreach (var key in had.Where(k => !keep.Any(k.SameObject)).OrderByDescending(k => ApplyOrder.Rank(k.Kind)))
        {
            if (await cluster.DeleteAsync(key, cancellationToken).ConfigureAwait(false))
            {
                pruned.Add(key);
                Report(progress, key, "pruned");
            }
        }

        return pruned;
    }

    private void Report(IProgress<DeployEvent>? progress, ObjectKey? key, string message) =>
        progress?.Report(new DeployEvent(cluster.Time.GetUtcNow(), key, message));
}
