using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Daemon sets: DESIRED, CURRENT, READY, UP-TO-DATE, AVAILABLE, NODE SELECTOR, AGE; wide adds CONTAINERS, IMAGES, SELECTOR.</summary>
public sealed class DaemonSetRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "DaemonSet";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Desired", "integer", 0, "The total number of nodes that should be running the daemon pod."),
        new("Current", "integer", 0, "The number of nodes running at least one daemon pod and that are supposed to."),
        new("Ready", "integer", 0, "The number of nodes running the daemon pod with a ready pod."),
        new("Up-to-date", "integer", 0, "The number of nodes running the updated daemon pod."),
        new("Available", "integer", 0, "The number of nodes whose daemon pod has been available for minReadySeconds."),
        new("Node Selector", "string", 0, "Node labels the pods require."),
        new("Age", "string", 0, "Time since the daemon set was created."),
        new("Containers", "string", 1, "Names of each container in the template."),
        new("Images", "string", 1, "Images referenced by each container in the template."),
        new("Selector", "string", 1, "Label selector for pods."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var set = (V1DaemonSet)resource;
        var (names, images) = TableBuilder.Containers(set.Spec?.Template);
        var status = set.Status;
        return
        [
            status?.DesiredNumberScheduled ?? 0,
            status?.CurrentNumberScheduled ?? 0,
            status?.NumberReady ?? 0,
            status?.UpdatedNumberScheduled ?? 0,
            status?.NumberAvailable ?? 0,
            TableBuilder.LabelList(set.Spec?.Template?.Spec?.NodeSelector),
            clock.Since(set.Metadata.CreationTimestamp),
            names,
            images,
            Selectors.Format(set.Spec?.Selector),
        ];
    }
}
