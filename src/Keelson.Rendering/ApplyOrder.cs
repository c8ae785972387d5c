namespace Keelson.Rendering;

/// <summary>
/// The order objects are applied in: namespace and its policies first, identities and config before the
/// workloads that mount them, storage-backed infrastructure before applications, Services before Ingress,
/// autoscalers and disruption budgets after their targets, CRD-backed kinds last.
/// </summary>
public static class ApplyOrder
{
    private static readonly string[] Kinds =
    [
        "Namespace", "ResourceQuota", "LimitRange", "NetworkPolicy", "ServiceAccount", "Role", "RoleBinding", "Secret", "ConfigMap",
        "PersistentVolumeClaim", "Service", "StatefulSet", "Deployment", "Job", "CronJob", "Ingress",
        "HorizontalPodAutoscaler", "PodDisruptionBudget",
    ];

    /// <summary>Rank of a kind; unknown (CRD-backed) kinds come after every built-in kind.</summary>
    public static int Rank(string kind)
    {
        var index = Array.IndexOf(Kinds, kind);
        return index < 0 ? Kinds.Length : index;
    }

    /// <summary>Sorts objects by kind rank, then group, then kind name, then object name: a total, stable order.</summary>
    public static IReadOnlyList<RenderedObject> Sort(IEnumerable<RenderedObject> objects) =>
        [.. objects
            .OrderBy(o => Rank(o.Resource.Kind))
            .ThenBy(o => o.Group)
            .ThenBy(o => o.Resource.Kind, StringComparer.Ordinal)
            .ThenBy(o => o.Resource.Metadata.Name, StringComparer.Ordinal)];
}
