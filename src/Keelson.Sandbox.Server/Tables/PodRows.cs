using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Pods: READY, STATUS, RESTARTS, AGE; wide adds IP, NODE, NOMINATED NODE, READINESS GATES.</summary>
public sealed class PodRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "Pod";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Ready", "string", 0, "The aggregate readiness state of this pod for accepting traffic."),
        new("Status", "string", 0, "The aggregate status of the containers in this pod."),
        new("Restarts", "string", 0, "The number of times the containers in this pod have been restarted."),
        new("Age", "string", 0, "Time since the pod was created."),
        new("IP", "string", 1, "IP address allocated to the pod."),
        new("Node", "string", 1, "Name of the node the pod is bound to."),
        new("Nominated Node", "string", 1, "Name of the node nominated for the pod by preemption."),
        new("Readiness Gates", "string", 1, "Readiness gates of the pod."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var pod = (V1Pod)resource;
        var statuses = pod.Status?.ContainerStatuses ?? [];
        var containers = pod.Spec?.Containers?.Count ?? 0;
        return
        [
            $"{statuses.Count(s => s.Ready)}/{containers}",
            Status(pod),
            statuses.Sum(s => s.RestartCount).ToString(System.Globalization.CultureInfo.InvariantCulture),
            clock.Since(pod.Metadata.CreationTimestamp),
            pod.Status?.PodIP ?? "<none>",
            string.IsNullOrEmpty(pod.Spec?.NodeName) ? "<none>" : pod.Spec.NodeName,
            pod.Status?.NominatedNodeName ?? "<none>",
            "<none>",
        ];
    }

    // kubectl's STATUS: Terminating while being deleted, else a waiting or terminated container's reason, else the phase.
    private static string Status(V1Pod pod)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            return "Terminating";
        }

        var reason = pod.Status?.ContainerStatuses?
            .Select(s => s.State?.Waiting?.Reason ?? s.State?.Terminated?.Reason)
            .FirstOrDefault(r => !string.IsNullOrEmpty(r));
        return reason ?? pod.Status?.Reason ?? pod.Status?.Phase ?? "Unknown";
    }
}
