namespace Keelson.Sandbox.Server.Resources;

/// <summary>A resource the facade serves, as discovery describes it: where it lives in the API and how kubectl may call it.</summary>
/// <param name="Group">API group, empty for the core group.</param>
/// <param name="Version">API version inside the group.</param>
/// <param name="Kind">Kind of the objects.</param>
/// <param name="Plural">The resource name in URLs, e.g. <c>deployments</c>.</param>
/// <param name="Namespaced">Whether objects live in namespaces.</param>
/// <param name="ShortNames">kubectl's abbreviations, e.g. <c>deploy</c>.</param>
/// <param name="Scalable">Whether a <c>/scale</c> subresource is served.</param>
/// <param name="Custom">For a kind a CustomResourceDefinition in the store defines: what the definition says about it.</param>
public sealed record ApiResource(string Group, string Version, string Kind, string Plural, bool Namespaced, IReadOnlyList<string> ShortNames, bool Scalable = false, CustomResources.CustomResource? Custom = null)
{
    // The built-in kinds whose status the API server serves as a subresource (and keeps out of main-resource writes).
    private static readonly HashSet<string> StatusKinds = new(StringComparer.Ordinal)
    {
        "Namespace", "Node", "Pod", "Service", "PersistentVolumeClaim", "PersistentVolume", "ResourceQuota", "Deployment", "ReplicaSet",
        "StatefulSet", "DaemonSet", "Job", "CronJob", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Ingress", "CustomResourceDefinition",
    };

    /// <summary>The verbs every served resource supports.</summary>
    public static readonly IReadOnlyList<string> Verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    /// <summary><c>group/version</c>, or just the version for the core group.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Whether a <c>/status</c> subresource is served: built-in kinds with a status, custom kinds whose definition declares one.</summary>
    public bool HasStatus => Custom is not null ? Custom.Status : Group is "" or "apps" or "batch" or "autoscaling" or "policy" or "networking.k8s.io" or "apiextensions.k8s.io" && StatusKinds.Contains(Kind);

    /// <summary>The lower-case singular name, as kubectl accepts it.</summary>
    public string Singular => Custom?.Singular ?? Kind.ToLowerInvariant();

    /// <summary>The model type of the objects.</summary>
    public Type ModelType => Custom is not null ? typeof(Store.CustomObject) : Delivery.Clusters.KubeObjects.TypeOf(ApiVersion, Kind)
        ?? throw new InvalidOperationException($"{ApiVersion} {Kind} has no model type");
}
