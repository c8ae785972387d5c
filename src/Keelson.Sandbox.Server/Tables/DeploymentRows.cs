using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Deployments: READY, UP-TO-DATE, AVAILABLE, AGE; wide adds CONTAINERS, IMAGES, SELECTOR.</summary>
public sealed class DeploymentRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "Deployment";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Ready", "string", 0, "Number of the pod with ready state."),
        new("Up-to-date", "integer", 0, "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
        new("Available", "integer", 0, "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
        new("Age", "string", 0, "Time since the deployment was created."),
        new("Containers", "string", 1, "Names of each container in the template."),
        new("Images", "string", 1, "Images referenced by each container in the template."),
        new("Selector", "string", 1, "Label selector for pods."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var deployment = (V1Deployment)resource;
        var (names, images) = TableBuilder.Containers(deployment.Spec?.Template);
        return
        [
            $"{deployment.Status?.ReadyReplicas ?? 0}/{deployment.Spec?.Replicas ?? 1}",
            deployment.Status?.UpdatedReplicas ?? 0,
            deployment.Status?.AvailableReplicas ?? 0,
            clock.Since(deployment.Metadata.CreationTimestamp),
            names,
            images,
            TableBuilder.LabelList(deployment.Spec?.Selector?.MatchLabels),
        ];
    }
}
