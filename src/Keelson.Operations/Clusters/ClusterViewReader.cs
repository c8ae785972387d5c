using System.Globalization;
using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Rendering.Objects;

namespace Keelson.Operations.Clusters;

/// <summary>
/// Reads a <see cref="ClusterView"/> through <see cref="ICluster"/> (nodes, pods, namespaces, autoscalers, events) and,
/// when the cluster also serves it, <see cref="IResourceMetrics"/> — the same calls for the sandbox and a real cluster.
/// A tenant's view lists only the pods, pending pods and autoscalers of namespaces labelled with its id; node figures
/// stay whole (the capacity left is what explains a pending pod) but never name another tenant's pods.
/// </summary>
public static class ClusterViewReader
{
    /// <summary>The largest number of autoscaler events a view carries.</summary>
    public const int MaxEvents = 500;

    // The cluster autoscaler's event reasons (kubernetes/autoscaler, cluster-autoscaler/utils/events), and the sandbox's.
    private static readonly HashSet<string> AutoscalerReasons = new(StringComparer.Ordinal)
    {
        "TriggeredScaleUp", "NotTriggerScaleUp", "FailedToScaleUpGroup", "ScaledUpGroup", "ScaleUpTimedOut",
        "ScaleDown", "ScaleDownEmpty", "ScaleDownFailed", "ScaleDownUnneeded",
    };

    // Where clouds and provisioners put a node's pool; Keelson's own label first.
    private static readonly string[] PoolLabels =
        [PodTemplates.PoolLabel, "karpenter.sh/nodepool", "eks.amazonaws.com/nodegroup", "cloud.google.com/gke-nodepool", "kubernetes.azure.com/agentpool"];

    /// <summary>
    /// The view of <paramref name="cluster"/> named <paramref name="name"/>, for every tenant (<paramref name="tenant"/>
    /// null) or one; at most <paramref name="events"/> autoscaler events (0–<see cref="MaxEvents"/>).
    /// </summary>
    public static async Task<ClusterView> ReadAsync(string name, string kind, ICluster cluster, string? tenant, int events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(events, MaxEvents);
        var nodesTask = ListAsync<V1Node>(cluster, "v1", "Node", cancellationToken);
        var podsTask = ListAsync<V1Pod>(cluster, "v1", "Pod", cancellationToken);
        var namespacesTask = ListAsync<V1Namespace>(cluster, "v1", "Namespace", cancellationToken);
        var hpasTask = ListAsync<V2HorizontalPodAutoscaler>(cluster, "autoscaling/v2", "HorizontalPodAutoscaler", cancellationToken);
        var eventsTask = events == 0 ? Task.FromResult<IReadOnlyList<Corev1Event>>([]) : ListAsync<Corev1Event>(cluster, "v1", "Event", cancellationToken);
        var metrics = cluster as IResourceMetrics;
        var nodeUsageTask = metrics?.NodeMetricsAsync(cancellationToken) ?? Task.FromResult<IReadOnlyList<NodeMetrics>?>(null);
        var podUsageTask = metrics?.PodMetricsAsync(null, cancellationToken) ?? Task.FromResult<IReadOnlyList<PodMetrics>?>(null);
        await Task.WhenAll(nodesTask, podsTask, namespacesTask, hpasTask, eventsTask, nodeUsageTask, podUsageTask).ConfigureAwait(false);
        var objects = new ClusterObjects(nodesTask.Result, podsTask.Result, namespacesTask.Result, hpasTask.Result, eventsTask.Result, nodeUsageTask.Result, podUsageTask.Result);
        return Build(name, kind, cluster.Time.GetUtcNow(), objects, tenant, events);
    }

    /// <summary>
    /// The view of objects already read (a list, or an informer's cache), for every tenant (<paramref name="tenant"/>
    /// null) or one, observed at <paramref name="observedAt"/>; at most <paramref name="events"/> autoscaler events.
    /// </summary>
    public static ClusterView Build(string name, string kind, DateTimeOffset observedAt, ClusterObjects objects, string? tenant, int events)
    {
        ArgumentNullException.ThrowIfNull(objects);
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(events, MaxEvents);
        var tenants = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var ns in objects.Namespaces)
        {
            if (ns.Metadata.Labels?.TryGetValue(Labels.Tenant, out var owner) == true)
            {
                tenants[ns.Metadata.Name] = owner;
            }
        }

        bool Visible(string? ns) => tenant is null || (ns is not null && tenants.TryGetValue(ns, out var owner) && owner == tenant);
        string? TenantOf(string? ns) => ns is not null && tenants.TryGetValue(ns, out var owner) ? owner : null;

        var nodeUsage = objects.NodeMetrics?.ToDictionary(m => m.Metadata.Name, m => ResourceAmounts.Of(m.Usage), StringComparer.Ordinal);
        var podUsage = objects.PodMetrics?.ToDictionary(
            m => (m.Metadata.NamespaceProperty ?? "", m.Metadata.Name),
            m => (m.Containers ?? []).Aggregate(ResourceAmounts.Zero, (sum, c) => sum + ResourceAmounts.Of(c.Usage)));

        var active = objects.Pods.Where(p => p.Status?.Phase is not ("Succeeded" or "Failed")).ToList();
        var perNode = new Dictionary<string, (int Count, ResourceAmounts Requested)>(StringComparer.Ordinal);
        var pods = new List<PodView>();
        var pending = new List<PendingPodView>();
        foreach (var pod in active)
        {
            var requested = ResourceAmounts.Requested(pod.Spec);
            var ns = pod.Metadata.NamespaceProperty ?? "";
            if (string.IsNullOrEmpty(pod.Spec?.NodeName))
            {
                if (Visible(ns))
                {
                    pending.Add(Pending(pod, ns, TenantOf(ns), requested));
                }

                continue;
            }

            var node = pod.Spec.NodeName;
            perNode[node] = perNode.TryGetValue(node, out var sum) ? (sum.Count + 1, sum.Requested + requested) : (1, requested);
            if (Visible(ns))
            {
                var used = podUsage is not null && podUsage.TryGetValue((ns, pod.Metadata.Name), out var u) ? u : null;
                pods.Add(new PodView(ns, pod.Metadata.Name, TenantOf(ns), node, pod.Status?.Phase ?? "Pending", IsTrue(pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status), requested, used));
            }
        }

        var nodes = objects.Nodes.Select(n =>
        {
            var labels = n.Metadata.Labels ?? new Dictionary<string, string>();
            var (count, requested) = perNode.TryGetValue(n.Metadata.Name, out var sum) ? sum : (0, ResourceAmounts.Zero);
            return new NodeView(
                n.Metadata.Name,
                PoolLabels.Select(l => labels.TryGetValue(l, out var v) ? v : null).FirstOrDefault(v => v is not null) ?? "",
                labels.TryGetValue("topology.kubernetes.io/zone", out var zone) ? zone : "",
                labels.TryGetValue("node.kubernetes.io/instance-type", out var type) ? type : "",
                IsTrue(n.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status),
                n.Spec?.Unschedulable != true,
                count,
                ResourceAmounts.Of(n.Status?.Allocatable),
                requested,
                nodeUsage is null ? null : nodeUsage.GetValueOrDefault(n.Metadata.Name, ResourceAmounts.Zero));
        }).OrderBy(n => n.Pool, StringComparer.Ordinal).ThenBy(n => n.Zone, StringComparer.Ordinal).ThenBy(n => n.Name, StringComparer.Ordinal).ToList();

        var groups = nodes.GroupBy(n => (n.Pool, n.Zone)).Select(g => Sum(g.Key.Pool, g.Key.Zone, [.. g], nodeUsage is not null)).ToList();
        return new ClusterView(
            name,
            kind,
            observedAt,
            tenant is null ? "all" : "tenant",
            nodeUsage is not null,
            Sum("", "", nodes, nodeUsage is not null),
            groups,
            nodes,
            [.. pods.OrderBy(p => p.Node, StringComparer.Ordinal).ThenBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)],
            [.. pending.OrderBy(p => p.Namespace, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)],
            [.. objects.Autoscalers.Where(h => Visible(h.Metadata.NamespaceProperty)).Select(h => Autoscaler(h, TenantOf(h.Metadata.NamespaceProperty)))
                .OrderBy(h => h.Namespace, StringComparer.Ordinal).ThenBy(h => h.Name, StringComparer.Ordinal)],
            [.. objects.Events.Where(e => IsAutoscalerEvent(e) && (e.InvolvedObject?.NamespaceProperty is null || Visible(e.InvolvedObject.NamespaceProperty)))
                .Select(Event)
                .OrderByDescending(e => e.Time).ThenBy(e => e.InvolvedObject, StringComparer.Ordinal).ThenBy(e => e.Reason, StringComparer.Ordinal)
                .Take(events)]);
    }

    private static async Task<IReadOnlyList<T>> ListAsync<T>(ICluster cluster, string apiVersion, string kind, CancellationToken cancellationToken)
    {
        try
        {
            return [.. (await cluster.ListAsync(apiVersion, kind, null, null, cancellationToken).ConfigureAwait(false)).OfType<T>()];
        }
        catch (Delivery.Kubernetes.ClusterException e) when (e.Code == 404 && kind == "HorizontalPodAutoscaler")
        {
            // A cluster older than autoscaling/v2 (1.23) has autoscalers we cannot read; the rest of the view still helps.
            return [];
        }
    }

    private static NodeGroupView Sum(string pool, string zone, List<NodeView> nodes, bool metrics) => new(
        pool,
        zone,
        nodes.Count,
        nodes.Count(n => n.Ready),
        nodes.Sum(n => n.PodCount),
        nodes.Aggregate(ResourceAmounts.Zero, (s, n) => s + n.Allocatable),
        nodes.Aggregate(ResourceAmounts.Zero, (s, n) => s + n.Requested),
        metrics ? nodes.Aggregate(ResourceAmounts.Zero, (s, n) => s + (n.Used ?? ResourceAmounts.Zero)) : null);

    private static PendingPodView Pending(V1Pod pod, string ns, string? tenant, ResourceAmounts requested)
    {
        var scheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False");
        var created = pod.Metadata.CreationTimestamp is { } c ? new DateTimeOffset(DateTime.SpecifyKind(c, DateTimeKind.Utc)) : (DateTimeOffset?)null;
        return scheduled is null
            ? new PendingPodView(ns, pod.Metadata.Name, tenant, requested, "", "waiting for the scheduler's first attempt", created)
            : new PendingPodView(ns, pod.Metadata.Name, tenant, requested, scheduled.Reason ?? "", scheduled.Message ?? "",
                scheduled.LastTransitionTime is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : created);
    }

    private static AutoscalerView Autoscaler(V2HorizontalPodAutoscaler hpa, string? tenant)
    {
        var current = hpa.Status?.CurrentMetrics ?? [];
        var metrics = (hpa.Spec?.Metrics ?? []).Select(m =>
        {
            var (metricName, target) = m.Type switch
            {
                "Resource" => (m.Resource?.Name ?? "", m.Resource?.Target),
                "ContainerResource" => ($"{m.ContainerResource?.Name}/{m.ContainerResource?.Container}", m.ContainerResource?.Target),
                "Pods" => (m.Pods?.Metric?.Name ?? "", m.Pods?.Target),
                "Object" => (m.ObjectProperty?.Metric?.Name ?? "", m.ObjectProperty?.Target),
                "External" => (m.External?.Metric?.Name ?? "", m.External?.Target),
                _ => ("", null),
            };
            var status = current.FirstOrDefault(s => s.Type == m.Type && StatusName(s) == metricName);
            var value = m.Type switch
            {
                "Resource" => status?.Resource?.Current,
                "ContainerResource" => status?.ContainerResource?.Current,
                "Pods" => status?.Pods?.Current,
                "Object" => status?.ObjectProperty?.Current,
                "External" => status?.External?.Current,
                _ => null,
            };
            return new AutoscalerMetricView(metricName, m.Type ?? "", value is null ? null : Format(value.AverageUtilization, value.AverageValue, value.Value), Format(target?.AverageUtilization, target?.AverageValue, target?.Value) ?? "");
        }).ToList();
        var scaled = hpa.Spec?.ScaleTargetRef;
        return new AutoscalerView(
            hpa.Metadata.NamespaceProperty ?? "",
            hpa.Metadata.Name,
            tenant,
            $"{scaled?.Kind}/{scaled?.Name}",
            hpa.Spec?.MinReplicas ?? 1,
            hpa.Spec?.MaxReplicas ?? 0,
            hpa.Status?.CurrentReplicas ?? 0,
            hpa.Status?.DesiredReplicas ?? 0,
            metrics);
    }

    private static string StatusName(V2MetricStatus status) => status.Type switch
    {
        "Resource" => status.Resource?.Name ?? "",
        "ContainerResource" => $"{status.ContainerResource?.Name}/{status.ContainerResource?.Container}",
        "Pods" => status.Pods?.Metric?.Name ?? "",
        "Object" => status.ObjectProperty?.Metric?.Name ?? "",
        "External" => status.External?.Metric?.Name ?? "",
        _ => "",
    };

    private static string? Format(int? utilisation, ResourceQuantity? average, ResourceQuantity? value) =>
        utilisation is { } u ? string.Create(CultureInfo.InvariantCulture, $"{u}%") : average?.ToString() ?? value?.ToString();

    private static bool IsAutoscalerEvent(Corev1Event e) =>
        e.Source?.Component == "cluster-autoscaler" || e.ReportingComponent == "cluster-autoscaler" || (e.Reason is { } reason && AutoscalerReasons.Contains(reason));

    private static ClusterEventView Event(Corev1Event e)
    {
        var time = e.LastTimestamp ?? e.EventTime ?? e.FirstTimestamp ?? e.Metadata.CreationTimestamp;
        return new ClusterEventView(
            time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null,
            e.Type ?? "Normal",
            e.Reason ?? "",
            $"{e.InvolvedObject?.Kind}/{e.InvolvedObject?.Name}",
            e.Message ?? "",
            e.Count ?? 1);
    }

    private static bool IsTrue(string? status) => status == "True";
}
