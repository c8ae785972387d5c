using Keelson.Rendering.Crds;

namespace Keelson.Sandbox.Server.Resources;

/// <summary>Every resource the facade serves: the built-in kinds the sandbox stores and the CRDs Keelson renders.</summary>
public static class ResourceCatalog
{
    /// <summary>Served resources, in the order discovery lists them.</summary>
    public static readonly IReadOnlyList<ApiResource> All =
    [
        new("", "v1", "Namespace", "namespaces", false, ["ns"]),
        new("", "v1", "Node", "nodes", false, ["no"]),
        new("", "v1", "Pod", "pods", true, ["po"]),
        new("", "v1", "Service", "services", true, ["svc"]),
        new("", "v1", "Endpoints", "endpoints", true, ["ep"]),
        new("", "v1", "ConfigMap", "configmaps", true, ["cm"]),
        new("", "v1", "Secret", "secrets", true, []),
        new("", "v1", "ServiceAccount", "serviceaccounts", true, ["sa"]),
        new("", "v1", "PersistentVolumeClaim", "persistentvolumeclaims", true, ["pvc"]),
        new("", "v1", "PersistentVolume", "persistentvolumes", false, ["pv"]),
        new("", "v1", "Event", "events", true, ["ev"]),
        new("", "v1", "ResourceQuota", "resourcequotas", true, ["quota"]),
        new("", "v1", "LimitRange", "limitranges", true, ["limits"]),
        new("apps", "v1", "Deployment", "deployments", true, ["deploy"], Scalable: true),
        new("apps", "v1", "ReplicaSet", "replicasets", true, ["rs"], Scalable: true),
        new("apps", "v1", "StatefulSet", "statefulsets", true, ["sts"], Scalable: true),
        new("apps", "v1", "DaemonSet", "daemonsets", true, ["ds"]),
        new("batch", "v1", "Job", "jobs", true, []),
        new("batch", "v1", "CronJob", "cronjobs", true, ["cj"]),
        new("autoscaling", "v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, ["hpa"]),
        new("autoscaling", "v1", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true, ["hpa"]),
        new("policy", "v1", "PodDisruptionBudget", "poddisruptionbudgets", true, ["pdb"]),
        new("networking.k8s.io", "v1", "Ingress", "ingresses", true, ["ing"]),
        new("networking.k8s.io", "v1", "NetworkPolicy", "networkpolicies", true, ["netpol"]),
        new("rbac.authorization.k8s.io", "v1", "Role", "roles", true, []),
        new("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings", true, []),
        new("rbac.authorization.k8s.io", "v1", "ClusterRole", "clusterroles", false, []),
        new("rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "clusterrolebindings", false, []),
        new("coordination.k8s.io", "v1", "Lease", "leases", true, []),
        new("apiextensions.k8s.io", "v1", "CustomResourceDefinition", "customresourcedefinitions", false, ["crd", "crds"]),
        Custom(ServiceMonitor.Version, "ServiceMonitor", "servicemonitors", ["smon"]),
        Custom(ServiceMonitor.Version, "PrometheusRule", "prometheusrules", ["promrule"]),
        Custom(SparkApplication.Version, "SparkApplication", "sparkapplications", ["sparkapp"]),
        Custom(SparkApplication.Version, "ScheduledSparkApplication", "scheduledsparkapplications", ["scheduledsparkapp"]),
        Custom(ScaledObject.Version, "ScaledObject", "scaledobjects", ["so"]),
    ];

    // What `kubectl get all` lists: the API server puts these kinds in the "all" category.
    private static readonly HashSet<string> AllCategory = new(StringComparer.Ordinal)
    {
        "Pod", "Service", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "HorizontalPodAutoscaler",
    };

    /// <summary>The categories discovery lists for a resource (<c>all</c> for workloads and services).</summary>
    public static IList<string>? Categories(ApiResource resource) =>
        resource?.Custom is { } custom ? (custom.Categories.Count > 0 ? [.. custom.Categories] : null)
        : resource?.Kind == "CustomResourceDefinition" ? ["api-extensions"]
        : resource is { Group: "" or "apps" or "batch" or "autoscaling" } && AllCategory.Contains(resource.Kind) && !ResourceViews.IsView(resource) ? ["all"] : null;

    /// <summary>The served group versions, core first, each with its resources.</summary>
    public static IEnumerable<IGrouping<string, ApiResource>> GroupVersions => All.GroupBy(r => r.ApiVersion);

    /// <summary>The resource served at <c>group/version/plural</c>, or null.</summary>
    public static ApiResource? Find(string group, string version, string plural) =>
        All.FirstOrDefault(r => r.Group == group && r.Version == version && r.Plural == plural);

    /// <summary>The resource of an apiVersion and kind, or null.</summary>
    public static ApiResource? OfKind(string apiVersion, string kind) =>
        All.FirstOrDefault(r => r.ApiVersion == apiVersion && r.Kind == kind);

    private static ApiResource Custom(string apiVersion, string kind, string plural, IReadOnlyList<string> shortNames)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return new ApiResource(apiVersion[..slash], apiVersion[(slash + 1)..], kind, plural, true, shortNames);
    }
}
