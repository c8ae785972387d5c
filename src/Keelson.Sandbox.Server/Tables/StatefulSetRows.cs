using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Stateful sets: READY, AGE; wide adds CONTAINERS, IMAGES.</summary>
public sealed class StatefulSetRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "StatefulSet";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Ready", "string", 0, "Number of the pod with ready state."),
        new("Age", "string", 0, "Time since the stateful set was created."),
        new("Containers", "string", 1, "Names of each container in the template."),
        new("Images", "string", 1, "Images referenced by each container in the template."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var set = (V1StatefulSet)resource;
        var (names, images) = TableBuilder.Containers(set.Spec?.Template);
        return
        [
            $"{set.Status?.ReadyReplicas ?? 0}/{set.Spec?.Replicas ?? 1}",
            clock.Since(set.Metadata.CreationTimestamp),
            names,
            images,
        ];
    }
}
