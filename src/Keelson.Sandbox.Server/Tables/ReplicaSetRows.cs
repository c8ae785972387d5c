using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Replica sets: DESIRED, CURRENT, READY, AGE; wide adds CONTAINERS, IMAGES, SELECTOR.</summary>
public sealed class ReplicaSetRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "ReplicaSet";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Desired", "integer", 0, "Number of desired pods."),
        new("Current", "integer", 0, "Number of actual replicas."),
        new("Ready", "integer", 0, "The number of ready replicas."),
        new("Age", "string", 0, "Time since the replica set was created."),
        new("Containers", "string", 1, "Names of each container in the template."),
        new("Images", "string", 1, "Images referenced by each container in the template."),
        new("Selector", "string", 1, "Label selector for pods."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var set = (V1ReplicaSet)resource;
        var (names, images) = TableBuilder.Containers(set.Spec?.Template);
        return
        [
            set.Spec?.Replicas ?? 1,
            set.Status?.Replicas ?? 0,
            set.Status?.ReadyReplicas ?? 0,
            clock.Since(set.Metadata.CreationTimestamp),
            names,
            images,
            TableBuilder.LabelList(set.Spec?.Selector?.MatchLabels),
        ];
    }
}
