using k8s.Models;

namespace Keelson.Delivery.Clusters;

/// <summary>
/// The resource metrics API (<c>metrics.k8s.io/v1beta1</c>, what metrics-server serves and <c>kubectl top</c> reads):
/// the CPU and memory nodes and pods use now. A seam beside <see cref="ICluster"/> because a cluster may run without it.
/// </summary>
public interface IResourceMetrics
{
    /// <summary>Every node's usage; null when the cluster serves no metrics API.</summary>
    Task<IReadOnlyList<NodeMetrics>?> NodeMetricsAsync(CancellationToken cancellationToken);

    /// <summary>Every pod's usage per container, in one namespace or all (null); null when the cluster serves no metrics API.</summary>
    Task<IReadOnlyList<PodMetrics>?> PodMetricsAsync(string? ns, CancellationToken cancellationToken);
}
