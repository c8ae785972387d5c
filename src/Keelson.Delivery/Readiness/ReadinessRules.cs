using System.Globalization;
using k8s;
using k8s.Models;

namespace Keelson.Delivery.Readiness;

/// <summary>
/// When an applied object counts as ready, by kind — the rules of <c>kubectl rollout status</c> and Helm's
/// <c>--wait</c>: the controller has seen the latest generation, every replica is updated and available, a Job has
/// completed, a claim is bound, a Service has a ready endpoint. Kinds without a status are ready once they exist.
/// </summary>
public static class ReadinessRules
{
    /// <summary>Readiness of <paramref name="resource"/>; <paramref name="endpoints"/> are the Service's, when it is one.</summary>
    public static Readiness Of(IKubernetesObject<V1ObjectMeta> resource, V1Endpoints? endpoints = null) => resource switch
    {
        V1Deployment d => Deployment(d),
        V1StatefulSet s => StatefulSet(s),
        V1DaemonSet d => DaemonSet(d),
        V1Job j => Job(j),
        V1PersistentVolumeClaim c => c.Status?.Phase == "Bound" ? Readiness.Ready("bound") : Readiness.Waiting($"claim is {c.Status?.Phase ?? "Pending"}"),
        V1Service s => Service(s, endpoints),
        V1Pod p => p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true
            ? Readiness.Ready("ready")
            : Readiness.Waiting($"pod is {p.Status?.Phase ?? "Pending"}"),
        _ => Readiness.Ready("exists"),
    };

    /// <summary>Whether delivery waits for this kind at all.</summary>
    public static bool Waits(string kind) => kind is "Deployment" or "StatefulSet" or "DaemonSet" or "Job" or "PersistentVolumeClaim" or "Service" or "Pod";

    private static Readiness Deployment(V1Deployment d)
    {
        var want = d.Spec?.Replicas ?? 1;
        var status = d.Status;
        if (status?.Conditions?.FirstOrDefault(c => c.Type == "Progressing") is { Status: "False", Reason: "ProgressDeadlineExceeded" } stuck)
        {
            return Readiness.Failed($"deployment \"{d.Metadata.Name}\" exceeded its progress deadline: {stuck.Message}");
        }

        if (status is null || (status.ObservedGeneration ?? 0) < (d.Metadata.Generation ?? 0))
        {
            return Readiness.Waiting("waiting for the deployment spec update to be observed");
        }

        var updated = status.UpdatedReplicas ?? 0;
        var total = status.Replicas ?? 0;
        var available = status.AvailableReplicas ?? 0;
        if (updated < want)
        {
            return Readiness.Waiting(Count($"{updated} out of {want} new replicas have been updated"));
        }

        if (total > updated)
        {
            return Readiness.Waiting(Count($"{total - updated} old replicas are pending termination"));
        }

        return available < updated
            ? Readiness.Waiting(Count($"{available} of {updated} updated replicas are available"))
            : Readiness.Ready(Count($"{available} of {want} replicas available"));
    }

    private static Readiness StatefulSet(V1StatefulSet s)
    {
        var want = s.Spec?.Replicas ?? 1;
        var status = s.Status;
        if (status is null || (status.ObservedGeneration ?? 0) < (s.Metadata.Generation ?? 0))
        {
            return Readiness.Waiting("waiting for the statefulset spec update to be observed");
        }

        if ((status.ReadyReplicas ?? 0) < want)
        {
            return Readiness.Waiting(Count($"{status.ReadyReplicas ?? 0} of {want} pods are ready"));
        }

        return status.UpdateRevision is { } update && status.CurrentRevision != update
            ? Readiness.Waiting(Count($"{status.UpdatedReplicas ?? 0} of {want} pods are at revision {update}"))
            : Readiness.Ready(Count($"{want} pods ready"));
    }

    private static Readiness DaemonSet(V1DaemonSet d)
    {
        var status = d.Status;
        if (status is null || (status.ObservedGeneration ?? 0) < (d.Metadata.Generation ?? 0))
        {
            return Readiness.Waiting("waiting for the daemonset spec update to be observed");
        }

        return status.NumberReady < status.DesiredNumberScheduled || (status.UpdatedNumberScheduled ?? 0) < status.DesiredNumberScheduled
            ? Readiness.Waiting(Count($"{status.NumberReady} of {status.DesiredNumberScheduled} pods are ready"))
            : Readiness.Ready(Count($"{status.NumberReady} pods ready"));
    }

    private static Readiness Job(V1Job j)
    {
        var conditions = j.Status?.Conditions ?? [];
        if (conditions.FirstOrDefault(c => c.Type == "Failed" && c.Status == "True") is { } failed)
        {
            return Readiness.Failed($"job failed: {failed.Reason}: {failed.Message}");
        }

        // A queued Job may wait hours for admission; delivery does not wait for it to run (as with a suspended Job
        // under Kueue): the admitter runs it when its queue has room.
        if (j.Metadata?.Labels?.TryGetValue(Rendering.Objects.QueuedJobs.QueueLabel, out var queue) == true && !conditions.Any(c => c.Type == "Complete" && c.Status == "True"))
        {
            return Readiness.Ready(j.Spec?.Suspend == true ? $"suspended, waiting for admission in queue {queue}" : $"admitted from queue {queue}, running");
        }

        return conditions.Any(c => c.Type == "Complete" && c.Status == "True")
            ? Readiness.Ready(Count($"{j.Status!.Succeeded ?? 0} completions"))
            : Readiness.Waiting(Count($"{j.Status?.Succeeded ?? 0} of {j.Spec?.Completions ?? 1} completions, {j.Status?.Active ?? 0} active"));
    }

    private static Readiness Service(V1Service s, V1Endpoints? endpoints)
    {
        if (s.Spec?.Type == "ExternalName" || s.Spec?.Selector is null || s.Spec.Selector.Count == 0)
        {
            return Readiness.Ready("no selector; endpoints are managed elsewhere");
        }

        var ready = endpoints?.Subsets?.Sum(subset => subset.Addresses?.Count ?? 0) ?? 0;
        return ready > 0 ? Readiness.Ready(Count($"{ready} ready endpoints")) : Readiness.Waiting("no ready endpoints yet");
    }

    private static string Count(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
