namespace Keelson.Validation.Checks;

/// <summary>
/// APIs deprecated or removed by the target Kubernetes version, from the upstream deprecation guide:
/// a removed API is rejected by the API server, a deprecated one warns and will be removed.
/// </summary>
public sealed class DeprecatedApiCheck(KubeVersion target) : ICheck
{
    private sealed record Entry(string ApiVersion, string[] Kinds, KubeVersion Deprecated, KubeVersion Removed, string Replacement);

    private static readonly Entry[] Table =
    [
        new("extensions/v1beta1", ["Ingress"], new(1, 14), new(1, 22), "networking.k8s.io/v1"),
        new("networking.k8s.io/v1beta1", ["Ingress", "IngressClass"], new(1, 19), new(1, 22), "networking.k8s.io/v1"),
        new("extensions/v1beta1", ["Deployment", "DaemonSet", "ReplicaSet"], new(1, 9), new(1, 16), "apps/v1"),
        new("apps/v1beta1", ["Deployment", "StatefulSet"], new(1, 9), new(1, 16), "apps/v1"),
        new("apps/v1beta2", ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet"], new(1, 9), new(1, 16), "apps/v1"),
        new("extensions/v1beta1", ["NetworkPolicy"], new(1, 9), new(1, 16), "networking.k8s.io/v1"),
        new("extensions/v1beta1", ["PodSecurityPolicy"], new(1, 10), new(1, 16), "Pod Security Admission (namespace labels)"),
        new("policy/v1beta1", ["PodSecurityPolicy"], new(1, 21), new(1, 25), "Pod Security Admission (namespace labels)"),
        new("policy/v1beta1", ["PodDisruptionBudget"], new(1, 21), new(1, 25), "policy/v1"),
        new("batch/v1beta1", ["CronJob"], new(1, 21), new(1, 25), "batch/v1"),
        new("autoscaling/v2beta1", ["HorizontalPodAutoscaler"], new(1, 22), new(1, 25), "autoscaling/v2"),
        new("autoscaling/v2beta2", ["HorizontalPodAutoscaler"], new(1, 23), new(1, 26), "autoscaling/v2"),
        new("discovery.k8s.io/v1beta1", ["EndpointSlice"], new(1, 21), new(1, 25), "discovery.k8s.io/v1"),
        new("events.k8s.io/v1beta1", ["Event"], new(1, 19), new(1, 25), "events.k8s.io/v1"),
        new("node.k8s.io/v1beta1", ["RuntimeClass"], new(1, 20), new(1, 25), "node.k8s.io/v1"),
        new("rbac.authorization.k8s.io/v1beta1", ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"], new(1, 17), new(1, 22), "rbac.authorization.k8s.io/v1"),
        new("apiextensions.k8s.io/v1beta1", ["CustomResourceDefinition"], new(1, 16), new(1, 22), "apiextensions.k8s.io/v1"),
        new("admissionregistration.k8s.io/v1beta1", ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"], new(1, 16), new(1, 22), "admissionregistration.k8s.io/v1"),
        new("scheduling.k8s.io/v1beta1", ["PriorityClass"], new(1, 14), new(1, 22), "scheduling.k8s.io/v1"),
        new("storage.k8s.io/v1beta1", ["CSIDriver", "CSINode", "StorageClass", "VolumeAttachment"], new(1, 19), new(1, 22), "storage.k8s.io/v1"),
        new("storage.k8s.io/v1beta1", ["CSIStorageCapacity"], new(1, 24), new(1, 27), "storage.k8s.io/v1"),
        new("certificates.k8s.io/v1beta1", ["CertificateSigningRequest"], new(1, 19), new(1, 22), "certificates.k8s.io/v1"),
        new("coordination.k8s.io/v1beta1", ["Lease"], new(1, 14), new(1, 22), "coordination.k8s.io/v1"),
        new("flowcontrol.apiserver.k8s.io/v1beta1", ["FlowSchema", "PriorityLevelConfiguration"], new(1, 23), new(1, 26), "flowcontrol.apiserver.k8s.io/v1"),
        new("flowcontrol.apiserver.k8s.io/v1beta2", ["FlowSchema", "PriorityLevelConfiguration"], new(1, 26), new(1, 29), "flowcontrol.apiserver.k8s.io/v1"),
        new("flowcontrol.apiserver.k8s.io/v1beta3", ["FlowSchema", "PriorityLevelConfiguration"], new(1, 29), new(1, 32), "flowcontrol.apiserver.k8s.io/v1"),
    ];

    /// <summary>The version checked against.</summary>
    public KubeVersion Target => target;

    /// <inheritdoc/>
    public string Id => "api-deprecated";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "No API version that the target Kubernetes version removed (error) or deprecated (warning).";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        var document = context.Document;
        var entry = Table.FirstOrDefault(e => e.ApiVersion == document.ApiVersion && e.Kinds.Contains(document.Kind));
        if (entry is null || target < entry.Deprecated)
        {
            yield break;
        }

        var removed = target >= entry.Removed;
        var finding = context.Finding(this, CheckContext.Get(document.Node, "apiVersion"), "apiVersion",
            removed
                ? $"{document.ApiVersion} {document.Kind} was removed in Kubernetes {entry.Removed}; a {target} cluster rejects it"
                : $"{document.ApiVersion} {document.Kind} is deprecated since {entry.Deprecated} and removed in {entry.Removed}",
            $"Use {entry.Replacement}.");
        yield return removed ? finding with { Severity = Severity.Error } : finding;
    }
}
