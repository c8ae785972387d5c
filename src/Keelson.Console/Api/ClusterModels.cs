using System.Globalization;

namespace Keelson.Console.Api;

/// <summary>The answer of <c>GET /api/v1/clusters</c>.</summary>
public sealed record ClusterListView(string Mode, IReadOnlyList<ClusterSummaryView> Clusters);

/// <summary>One cluster of the list.</summary>
public sealed record ClusterSummaryView(string Name, string Kind, string? Description);

/// <summary>The answer of <c>GET /api/v1/clusters/{name}</c>.</summary>
public sealed record ClusterStateView(
    string Name, string Kind, DateTimeOffset ObservedAt, string Scope, bool MetricsAvailable, NodeGroupRow Totals,
    IReadOnlyList<NodeGroupRow> Groups, IReadOnlyList<NodeRow> Nodes, IReadOnlyList<PodRow> Pods, IReadOnlyList<PendingPodRow> Pending,
    IReadOnlyList<AutoscalerRow> Autoscalers, IReadOnlyList<ClusterEventRow> AutoscalerEvents);

/// <summary>The answer of <c>GET /api/v1/clusters/{name}/pods</c>: a page of pods, how many match the filter and how many the key sees.</summary>
public sealed record ClusterPodPage(IReadOnlyList<PodRow> Pods, int TotalCount, int VisibleCount, int Offset, int Limit, IReadOnlyList<string> Namespaces);

/// <summary>CPU in millicores, memory in bytes, GPUs.</summary>
public sealed record Amounts(long MilliCpu, long MemoryBytes, long Gpus)
{
    /// <summary>CPU as cores, one decimal.</summary>
    public string Cores => (MilliCpu / 1000.0).ToString("0.#", CultureInfo.InvariantCulture);

    /// <summary>Memory in GiB, one decimal.</summary>
    public string Gib => (MemoryBytes / 1073741824.0).ToString("0.#", CultureInfo.InvariantCulture);
}

/// <summary>A pool and zone of nodes, or the whole cluster.</summary>
public sealed record NodeGroupRow(string Pool, string Zone, int Nodes, int ReadyNodes, int PodCount, Amounts Allocatable, Amounts Requested, Amounts? Used);

/// <summary>One node.</summary>
public sealed record NodeRow(string Name, string Pool, string Zone, string InstanceType, bool Ready, bool Schedulable, int PodCount, Amounts Allocatable, Amounts Requested, Amounts? Used);

/// <summary>One pod bound to a node.</summary>
public sealed record PodRow(string Namespace, string Name, string? Tenant, string Node, string Phase, bool Ready, Amounts Requested, Amounts? Used);

/// <summary>A pod waiting for a node, with the scheduler's reason.</summary>
public sealed record PendingPodRow(string Namespace, string Name, string? Tenant, Amounts Requested, string Reason, string Message, DateTimeOffset? Since);

/// <summary>A horizontal pod autoscaler.</summary>
public sealed record AutoscalerRow(string Namespace, string Name, string? Tenant, string Target, int MinReplicas, int MaxReplicas, int CurrentReplicas, int DesiredReplicas, IReadOnlyList<AutoscalerMetricRow> Metrics);

/// <summary>One metric of an autoscaler.</summary>
public sealed record AutoscalerMetricRow(string Name, string Type, string? Current, string Target);

/// <summary>An event of the cluster autoscaler.</summary>
public sealed record ClusterEventRow(DateTimeOffset? Time, string Type, string Reason, string InvolvedObject, string Message, int Count);
