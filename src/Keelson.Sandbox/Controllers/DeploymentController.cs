using System.Globalization;
using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Fields;
using Keelson.Sandbox.Store;

namespace Keelson.Sandbox.Controllers;

/// <summary>
/// Deployment → ReplicaSets, with the Kubernetes rolling-update arithmetic: the new ReplicaSet grows while the
/// total stays within replicas + maxSurge, old ones shrink while availability stays at or above
/// replicas − maxUnavailable; Recreate empties the old ones first. Reports the Progressing deadline. A paused
/// deployment (<c>spec.paused</c>) starts no rollout of a changed template but still scales, and says so in its
/// Progressing condition (DeploymentPaused, then DeploymentResumed).
/// </summary>
public sealed class DeploymentController : IController
{
    /// <summary>Label carrying the pod template hash on ReplicaSets and their pods.</summary>
    public const string HashLabel = "pod-template-hash";

    /// <summary>Annotation carrying the rollout revision on ReplicaSets.</summary>
    public const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    private static readonly FieldPath RevisionField = FieldPath.Of("metadata", "annotations", RevisionAnnotation);

    private static readonly FieldPath ReplicasField = FieldPath.Of("spec", "replicas");

    /// <summary>The Progressing reason of a paused deployment.</summary>
    public const string PausedReason = "DeploymentPaused";

    /// <summary>The Progressing reason of a deployment just resumed, until its rollout moves.</summary>
    public const string ResumedReason = "DeploymentResumed";

    /// <inheritdoc/>
    public void Reconcile(SandboxContext context)
    {
        foreach (var deployment in context.Store.List<V1Deployment>().ToList())
        {
            var owned = context.Store.OwnedBy<V1ReplicaSet>(deployment).ToList();
            var replicas = deployment.Spec.Replicas ?? 1;
            if (deployment.Spec.Paused == true)
            {
                // Paused: no new ReplicaSet for a changed template and no rollout step, but replica changes still
                // apply, spread over the active ReplicaSets as upstream's proportional scaling does.
                var current = FindReplicaSet(deployment, owned);
                var rest = owned.Where(rs => rs != current).OrderBy(rs => Revision(rs)).ToList();
                var scaled = ScalePaused(context, deployment, current, rest, replicas);
                PruneHistory(context, deployment, rest);
                UpdateStatus(context, deployment, current, rest, replicas, scaled);
                continue;
            }

            var newRs = NewReplicaSet(context, deployment, owned);
            MarkRevision(context, deployment, newRs);
            var old = owned.Where(rs => rs != newRs).OrderBy(rs => Revision(rs)).ToList();
            var progressed = deployment.Spec.Strategy?.Type == "Recreate"
                ? Recreate(context, newRs, old, replicas)
                : Rolling(context, deployment, newRs, old, replicas);
            PruneHistory(context, deployment, old);
            UpdateStatus(context, deployment, newRs, old, replicas, progressed);
        }
    }

    /// <summary>Resolves maxSurge (rounded up) or maxUnavailable (rounded down) against the replica count.</summary>
    public static int Resolve(IntOrString? value, int replicas, bool roundUp, int fallbackPercent)
    {
        var text = value?.Value ?? $"{fallbackPercent}%";
        if (!text.EndsWith('%'))
        {
            return int.Parse(text, CultureInfo.InvariantCulture);
        }

        var share = replicas * int.Parse(text[..^1], CultureInfo.InvariantCulture) / 100.0;
        return roundUp ? (int)Math.Ceiling(share) : (int)Math.Floor(share);
    }

    // The ReplicaSet of the deployment's current template, if there is one yet.
    private static V1ReplicaSet? FindReplicaSet(V1Deployment deployment, List<V1ReplicaSet> owned)
    {
        var hash = Names.TemplateHash(deployment, deployment.Spec.Template);
        return owned.FirstOrDefault(rs => rs.Metadata.Labels?.TryGetValue(HashLabel, out var h) == true && h == hash);
    }

    // Scaling a paused deployment: a lone active ReplicaSet (or, with none active, the current or newest one) takes
    // the new count; several active ones share it in proportion to their size, the newest taking the remainder.
    private static bool ScalePaused(SandboxContext context, V1Deployment deployment, V1ReplicaSet? current, List<V1ReplicaSet> rest, int replicas)
    {
        var all = rest.Concat(current is null ? [] : [current]).ToList();
        var active = all.Where(rs => (rs.Spec.Replicas ?? 0) > 0).ToList();
        if (active.Count <= 1)
        {
            var target = active.SingleOrDefault() ?? current ?? all.OrderBy(Revision).LastOrDefault();
            return target is not null && Scale(context, deployment, target, replicas);
        }

        var total = active.Sum(rs => rs.Spec.Replicas ?? 0);
        if (total == replicas)
        {
            return false;
        }

        var ordered = active.OrderBy(Revision).ToList();
        var shares = ordered.Select(rs => (int)Math.Floor((double)(rs.Spec.Replicas ?? 0) * replicas / total)).ToList();
        shares[^1] += replicas - shares.Sum();
        var changed = false;
        for (var i = 0; i < ordered.Count; i++)
        {
            changed |= Scale(context, deployment, ordered[i], shares[i]);
        }

        return changed;
    }

    private static V1ReplicaSet NewReplicaSet(SandboxContext context, V1Deployment deployment, List<V1ReplicaSet> owned)
    {
        var hash = Names.TemplateHash(deployment, deployment.Spec.Template);
        if (FindReplicaSet(deployment, owned) is { } existing)
        {
            var latest = owned.Count == 0 ? 0 : owned.Max(Revision);
            if (Revision(existing) < latest)
            {
                // Rolling back to an earlier template reuses its ReplicaSet under a new revision, as Kubernetes does.
                existing.Metadata.Annotations[RevisionAnnotation] = (latest + 1).ToString(CultureInfo.InvariantCulture);
                context.WriteFields(existing, ComponentWrites.ControllerManager, specChanged: false, RevisionField);
            }

            return existing;
        }

        var template = Copy.Deep(deployment.Spec.Template);
        template.Metadata ??= new V1ObjectMeta();
        template.Metadata.Labels = new Dictionary<string, string>(template.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [HashLabel] = hash };
        var selector = new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string>(deployment.Spec.Selector.MatchLabels ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [HashLabel] = hash },
            MatchExpressions = deployment.Spec.Selector.MatchExpressions,
        };
        var rs = new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta
            {
                Name = $"{deployment.Metadata.Name}-{hash}",
                NamespaceProperty = deployment.Metadata.NamespaceProperty,
                Labels = template.Metadata.Labels,
                Annotations = new Dictionary<string, string> { [RevisionAnnotation] = ((owned.Count == 0 ? 0 : owned.Max(Revision)) + 1).ToString(CultureInfo.InvariantCulture) },
                OwnerReferences = [Pods.ControllerReference(deployment)],
            },
            Spec = new V1ReplicaSetSpec { Replicas = 0, Selector = selector, Template = template, MinReadySeconds = deployment.Spec.MinReadySeconds },
        };
        context.CreateAs(rs, ComponentWrites.ControllerManager);
        context.Event(deployment.Metadata, "Deployment", "Normal", "ScalingReplicaSet", $"Created replica set {rs.Metadata.Name}");
        return rs;
    }

    // The deployment carries its current ReplicaSet's revision, as upstream's controller writes it (kubectl
    // rollout history and describe read it there).
    private static void MarkRevision(SandboxContext context, V1Deployment deployment, V1ReplicaSet current)
    {
        var revision = Revision(current).ToString(CultureInfo.InvariantCulture);
        var annotations = deployment.Metadata.Annotations ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (!annotations.TryGetValue(RevisionAnnotation, out var marked) || marked != revision)
        {
            annotations[RevisionAnnotation] = revision;

            // Upstream sets the revision through UpdateStatus, whose strategy lets annotations through: managedFields
            // shows it under kube-controller-manager's status entry.
            context.WriteStatus(deployment, ComponentWrites.ControllerManager, alsoOwned: [RevisionField]);
        }
    }

    private static bool Rolling(SandboxContext context, V1Deployment deployment, V1ReplicaSet newRs, List<V1ReplicaSet> old, int replicas)
    {
        var surge = Resolve(deployment.Spec.Strategy?.RollingUpdate?.MaxSurge, replicas, roundUp: true, 25);
        var unavailable = Resolve(deployment.Spec.Strategy?.RollingUpdate?.MaxUnavailable, replicas, roundUp: false, 25);
        if (surge == 0 && unavailable == 0)
        {
            unavailable = 1;
        }

        var changed = false;
        var all = old.Append(newRs).ToList();
        var total = all.Sum(rs => rs.Spec.Replicas ?? 0);
        var current = newRs.Spec.Replicas ?? 0;
        if (current > replicas || (old.All(rs => (rs.Spec.Replicas ?? 0) == 0) && current != replicas))
        {
            changed |= Scale(context, deployment, newRs, replicas);
        }
        else if (current < replicas && replicas + surge - total > 0)
        {
            changed |= Scale(context, deployment, newRs, Math.Min(replicas, current + (replicas + surge - total)));
        }

        total = all.Sum(rs => rs.Spec.Replicas ?? 0);
        var minAvailable = replicas - unavailable;
        var newUnavailable = (newRs.Spec.Replicas ?? 0) - (newRs.Status?.AvailableReplicas ?? 0);
        var canRemove = total - minAvailable - newUnavailable;

        // Old replicas that are not available cost no availability: remove them first, then healthy ones.
        foreach (var rs in old.Where(rs => (rs.Spec.Replicas ?? 0) > 0))
        {
            var unhealthy = (rs.Spec.Replicas ?? 0) - (rs.Status?.AvailableReplicas ?? 0);
            var cut = Math.Min(unhealthy, Math.Max(canRemove, 0));
            if (cut > 0)
            {
                changed |= Scale(context, deployment, rs, (rs.Spec.Replicas ?? 0) - cut);
                canRemove -= cut;
            }
        }

        var available = all.Sum(rs => rs.Status?.AvailableReplicas ?? 0);
        var removable = available - minAvailable;
        foreach (var rs in old.Where(rs => (rs.Spec.Replicas ?? 0) > 0))
        {
            var cut = Math.Min(rs.Spec.Replicas ?? 0, removable);
            if (cut > 0)
            {
                changed |= Scale(context, deployment, rs, (rs.Spec.Replicas ?? 0) - cut);
                removable -= cut;
            }
        }

        return changed;
    }

    private static bool Recreate(SandboxContext context, V1ReplicaSet newRs, List<V1ReplicaSet> old, int replicas)
    {
        var changed = false;
        foreach (var rs in old.Where(rs => (rs.Spec.Replicas ?? 0) > 0))
        {
            rs.Spec.Replicas = 0;
            context.WriteFields(rs, ComponentWrites.ControllerManager, specChanged: true, ReplicasField);
            changed = true;
        }

        var oldPods = old.Any(rs => context.Store.OwnedBy<V1Pod>(rs).Any());
        if (!oldPods && (newRs.Spec.Replicas ?? 0) != replicas)
        {
            newRs.Spec.Replicas = replicas;
            context.WriteFields(newRs, ComponentWrites.ControllerManager, specChanged: true, ReplicasField);
            changed = true;
        }

        return changed;
    }

    private static bool Scale(SandboxContext context, V1Deployment deployment, V1ReplicaSet rs, int to)
    {
        var from = rs.Spec.Replicas ?? 0;
        if (from == to)
        {
            return false;
        }

        rs.Spec.Replicas = to;
        context.WriteFields(rs, ComponentWrites.ControllerManager, specChanged: true, ReplicasField);
        context.Event(deployment.Metadata, "Deployment", "Normal", "ScalingReplicaSet",
            string.Create(CultureInfo.InvariantCulture, $"Scaled {(to > from ? "up" : "down")} replica set {rs.Metadata.Name} from {from} to {to}"));
        return true;
    }

    private static void PruneHistory(SandboxContext context, V1Deployment deployment, List<V1ReplicaSet> old)
    {
        var keep = deployment.Spec.RevisionHistoryLimit ?? 10;
        foreach (var rs in old.Where(rs => (rs.Spec.Replicas ?? 0) == 0 && (rs.Status?.Replicas ?? 0) == 0).OrderByDescending(Revision).Skip(keep).ToList())
        {
            context.Store.Delete(StoreKey.Of(rs));
            old.Remove(rs);
        }
    }

    private static void UpdateStatus(SandboxContext context, V1Deployment deployment, V1ReplicaSet? newRs, List<V1ReplicaSet> old, int replicas, bool progressed)
    {
        var all = newRs is null ? old : [.. old, newRs];
        var total = all.Sum(rs => rs.Status?.Replicas ?? 0);
        var updated = newRs?.Status?.Replicas ?? 0;
        var ready = all.Sum(rs => rs.Status?.ReadyReplicas ?? 0);
        var available = all.Sum(rs => rs.Status?.AvailableReplicas ?? 0);
        var unavailableAllowed = Resolve(deployment.Spec.Strategy?.RollingUpdate?.MaxUnavailable, replicas, roundUp: false, 25);
        var complete = updated == replicas && total == replicas && available == replicas;
        var previous = deployment.Status;
        var counts = (total, updated, ready, available);
        var countsChanged = previous is null || (previous.Replicas ?? 0, previous.UpdatedReplicas ?? 0, previous.ReadyReplicas ?? 0, previous.AvailableReplicas ?? 0) != counts
            || previous.ObservedGeneration != deployment.Metadata.Generation;

        var progressing = previous?.Conditions?.FirstOrDefault(c => c.Type == "Progressing");
        var deadline = TimeSpan.FromSeconds(deployment.Spec.ProgressDeadlineSeconds ?? 600);
        V1DeploymentCondition nextProgressing;
        var newName = newRs?.Metadata.Name ?? "";
        if (deployment.Spec.Paused == true)
        {
            // A paused deployment does not progress, so its deadline does not run (upstream's DeploymentPaused).
            nextProgressing = Condition("Progressing", "Unknown", PausedReason, "Deployment is paused", progressing, context.Now);
        }
        else if (progressing?.Reason == PausedReason && !progressed)
        {
            nextProgressing = Condition("Progressing", "Unknown", ResumedReason, "Deployment is resumed", progressing, context.Now);
        }
        else if (complete)
        {
            nextProgressing = Condition("Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{newName}\" has successfully progressed.", progressing, context.Now);
        }
        else if (progressed || countsChanged || progressing is null || progressing.Reason is "NewReplicaSetAvailable" or ResumedReason)
        {
            nextProgressing = Condition("Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{newName}\" is progressing.", progressing, context.Now, touch: true);
        }
        else if (progressing.Status == "True" && context.Now - (progressing.LastUpdateTime ?? context.Now) > deadline)
        {
            nextProgressing = Condition("Progressing", "False", "ProgressDeadlineExceeded", $"ReplicaSet \"{newName}\" has timed out progressing.", progressing, context.Now);
            context.Event(deployment.Metadata, "Deployment", "Warning", "ProgressDeadlineExceeded", nextProgressing.Message);
        }
        else
        {
            nextProgressing = progressing;
        }

        var isAvailable = available >= replicas - unavailableAllowed;
        var availableCondition = previous?.Conditions?.FirstOrDefault(c => c.Type == "Available");
        var nextAvailable = Condition("Available", isAvailable ? "True" : "False", isAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
            isAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", availableCondition, context.Now);

        if (!countsChanged && nextProgressing == progressing && nextAvailable == availableCondition)
        {
            return;
        }

        deployment.Status = new V1DeploymentStatus
        {
            Replicas = total,
            UpdatedReplicas = updated,
            ReadyReplicas = ready,
            AvailableReplicas = available,
            UnavailableReplicas = Math.Max(replicas - available, 0),
            ObservedGeneration = deployment.Metadata.Generation,
            // Conditions of other types (written through /status by someone else) are kept, as upstream's controller keeps them.
            Conditions = [nextAvailable, nextProgressing, .. (previous?.Conditions ?? []).Where(c => c.Type is not ("Available" or "Progressing"))],
        };
        context.WriteStatus(deployment, ComponentWrites.ControllerManager, alsoOwned: [RevisionField]);
    }

    // Keeps the previous condition object when nothing about it changed, so an unchanged status is not rewritten.
    private static V1DeploymentCondition Condition(string type, string status, string reason, string message, V1DeploymentCondition? previous, DateTime now, bool touch = false)
    {
        if (previous is not null && previous.Status == status && previous.Reason == reason && !touch)
        {
            return previous;
        }

        return new V1DeploymentCondition
        {
            Type = type,
            Status = status,
            Reason = reason,
            Message = message,
            LastUpdateTime = now,
            LastTransitionTime = previous is not null && previous.Status == status ? previous.LastTransitionTime : now,
        };
    }

    private static int Revision(V1ReplicaSet rs) =>
        rs.Metadata.Annotations?.TryGetValue(RevisionAnnotation, out var r) == true && int.TryParse(r, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
