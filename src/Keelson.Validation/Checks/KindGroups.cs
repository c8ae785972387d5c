using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>
/// The API groups a built-in kind is served from, now or in a removed version (extensions/v1beta1 Deployment). An
/// object whose kind is built-in but whose group is not among these is a custom resource that shares the name.
/// </summary>
public static class KindGroups
{
    private static readonly Dictionary<string, string[]> Groups = new(StringComparer.Ordinal)
    {
        ["Pod"] = [""], ["Service"] = [""], ["ConfigMap"] = [""], ["Secret"] = [""], ["ServiceAccount"] = [""],
        ["PersistentVolumeClaim"] = [""], ["Namespace"] = [""], ["ResourceQuota"] = [""], ["LimitRange"] = [""],
        ["ReplicationController"] = [""],
        ["Deployment"] = ["apps", "extensions"], ["StatefulSet"] = ["apps"], ["DaemonSet"] = ["apps", "extensions"], ["ReplicaSet"] = ["apps", "extensions"],
        ["Job"] = ["batch"], ["CronJob"] = ["batch"],
        ["HorizontalPodAutoscaler"] = ["autoscaling"], ["PodDisruptionBudget"] = ["policy"],
        ["NetworkPolicy"] = ["networking.k8s.io", "extensions"], ["Ingress"] = ["networking.k8s.io", "extensions"],
    };

    /// <summary>Whether the object is the built-in kind its name says, or a kind Kubernetes does not build in.</summary>
    public static bool IsBuiltInOrCustom(ManifestDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return !Groups.TryGetValue(document.Kind, out var groups) || groups.Contains(document.Group, StringComparer.Ordinal);
    }
}
