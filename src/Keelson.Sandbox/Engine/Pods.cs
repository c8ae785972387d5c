using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Engine;

/// <summary>What controllers need to know about and do to pods.</summary>
public static class Pods
{
    /// <summary>Whether the pod counts toward its owner's replicas: not being deleted and not finished.</summary>
    public static bool IsActive(V1Pod pod) => pod.Metadata.DeletionTimestamp is null && pod.Status?.Phase is not ("Succeeded" or "Failed");

    /// <summary>Whether the pod's Ready condition is true.</summary>
    public static bool IsReady(V1Pod pod) => pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>Whether the pod has been ready for at least <paramref name="minReadySeconds"/>.</summary>
    public static bool IsAvailable(V1Pod pod, int minReadySeconds, DateTime now) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready" && c.Status == "True") is { } ready
        && (ready.LastTransitionTime ?? now).AddSeconds(minReadySeconds) <= now;

    /// <summary>Whether <paramref name="resource"/> names <paramref name="owner"/> as its controller.</summary>
    public static bool OwnedBy(IKubernetesObject<V1ObjectMeta> resource, IKubernetesObject<V1ObjectMeta> owner) =>
        resource.Metadata.OwnerReferences?.Any(r => r.Uid == owner.Metadata.Uid && r.Controller == true) == true;

    /// <summary>A controller owner reference to <paramref name="owner"/>.</summary>
    public static V1OwnerReference ControllerReference(IKubernetesObject<V1ObjectMeta> owner) => new()
    {
        ApiVersion = owner.ApiVersion,
        Kind = owner.Kind,
        Name = owner.Metadata.Name,
        Uid = owner.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>A new pending pod from a template, owned by <paramref name="owner"/>.</summary>
    public static V1Pod FromTemplate(V1PodTemplateSpec template, string name, string ns, IKubernetesObject<V1ObjectMeta> owner, IDictionary<string, string>? extraLabels = null)
    {
        var spec = Copy.Deep(template.Spec);
        var labels = new Dictionary<string, string>(template.Metadata?.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (key, value) in extraLabels ?? new Dictionary<string, string>())
        {
            labels[key] = value;
        }

        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Labels = labels,
                Annotations = template.Metadata?.Annotations is { } a ? new Dictionary<string, string>(a, StringComparer.Ordinal) : null,
                OwnerReferences = [ControllerReference(owner)],
            },
            Spec = spec,
            Status = new V1PodStatus { Phase = "Pending", QosClass = "Burstable" },
        };
    }

    /// <summary>
    /// Deletes a pod gracefully: an unscheduled pod goes at once; a scheduled one is marked terminating and the
    /// kubelet removes it once its containers have stopped.
    /// </summary>
    public static void Terminate(SandboxContext context, V1Pod pod)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            return;
        }

        if (string.IsNullOrEmpty(pod.Spec.NodeName))
        {
            context.Store.Delete(Store.StoreKey.Of(pod));
            return;
        }

        pod.Metadata.DeletionTimestamp = context.Now;
        pod.Metadata.DeletionGracePeriodSeconds = pod.Spec.TerminationGracePeriodSeconds ?? 30;
        context.Store.Update(pod);
    }

    /// <summary>The order pods are removed in when scaling down: unscheduled, then not ready, then the newest.</summary>
    public static IEnumerable<V1Pod> ScaleDownOrder(IEnumerable<V1Pod> pods) =>
        pods.OrderBy(p => string.IsNullOrEmpty(p.Spec.NodeName) ? 0 : 1)
            .ThenBy(p => IsReady(p) ? 1 : 0)
            .ThenByDescending(p => p.Metadata.CreationTimestamp)
            .ThenByDescending(p => p.Metadata.Name, StringComparer.Ordinal);
}
