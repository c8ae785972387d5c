using System.Globalization;
using k8s.Models;
using Keelson.Planning.Cost;
using Keelson.Delivery.Clusters;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Nodes;
using Keelson.Spec.Model;
using Spectre.Console;

namespace Keelson.Cli.Output;

/// <summary>
/// The human view of a cluster after delivery, read through the cluster interface so the sandbox and a real cluster
/// print alike: pods per node, pending pods with their reasons, autoscalers, nodes per pool and cost.
/// </summary>
internal static class ClusterReport
{
    public static async Task WriteAsync(ICluster cluster, ClusterProfile profile, string? ns, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var nodes = (await cluster.ListAsync("v1", "Node", null, null, cancellationToken).ConfigureAwait(false)).Cast<V1Node>().ToList();
        var allPods = (await cluster.ListAsync("v1", "Pod", null, null, cancellationToken).ConfigureAwait(false)).Cast<V1Pod>().Where(Pods.IsActive).ToList();
        var pods = allPods.Where(p => ns is null || p.Metadata.NamespaceProperty == ns).ToList();
        var hpas = (await cluster.ListAsync("autoscaling/v2", "HorizontalPodAutoscaler", ns, null, cancellationToken).ConfigureAwait(false)).Cast<V2HorizontalPodAutoscaler>().ToList();

        var perNode = new Table().Border(TableBorder.Rounded).Title("Pods per node");
        foreach (var header in new[] { "Node", "Pool", "Zone", "Status", "CPU requested", "Memory requested", "GPU", "Pods" })
        {
            perNode.AddColumn(header);
        }

        foreach (var node in nodes)
        {
            var name = node.Metadata.Name;
            var here = allPods.Where(p => p.Spec.NodeName == name).ToList();
            var mine = here.Where(p => ns is null || p.Metadata.NamespaceProperty == ns).Select(p => p.Metadata.Name).ToList();
            perNode.AddRow(
                Markup.Escape(name),
                Markup.Escape(PoolOf(node)),
                Markup.Escape(node.Metadata.Labels.TryGetValue("topology.kubernetes.io/zone", out var zone) ? zone : "-"),
                NodeStatus(node),
                Share(here.Sum(p => PodResources.Request(p.Spec, "cpu", milli: true)), PodResources.Quantity(node.Status.Allocatable, "cpu", milli: true), "m"),
                Share(here.Sum(p => PodResources.Request(p.Spec, "memory", milli: false)) >> 20, PodResources.Quantity(node.Status.Allocatable, "memory", milli: false) >> 20, "Mi"),
                Invariant($"{here.Sum(p => PodResources.Request(p.Spec, NodeFactory.GpuResource, milli: false))}/{PodResources.Quantity(node.Status.Allocatable, NodeFactory.GpuResource, milli: false)}"),
                mine.Count == 0 ? "-" : Markup.Escape(string.Join(", ", mine)));
        }

        console.Write(perNode);

        var pending = pods.Where(p => string.IsNullOrEmpty(p.Spec.NodeName)).ToList();
        if (pending.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("[yellow]Pending pods[/]").AddColumn("Pod").AddColumn("Why");
            foreach (var pod in pending)
            {
                table.AddRow(Markup.Escape(pod.Metadata.Name), Markup.Escape(pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled")?.Message ?? "not scheduled yet"));
            }

            console.Write(table);
        }

        if (hpas.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("Horizontal pod autoscalers");
            foreach (var header in new[] { "Name", "Reference", "Targets", "Min", "Max", "Replicas", "Condition" })
            {
                table.AddColumn(header);
            }

            foreach (var hpa in hpas)
            {
                var cpuTarget = hpa.Spec.Metrics?.FirstOrDefault(m => m.Resource?.Name == "cpu")?.Resource.Target?.AverageUtilization;
                var cpuNow = hpa.Status?.CurrentMetrics?.FirstOrDefault(m => m.Resource?.Name == "cpu")?.Resource.Current?.AverageUtilization;
                var condition = hpa.Status?.Conditions?.FirstOrDefault();
                table.AddRow(
                    Markup.Escape(hpa.Metadata.Name),
                    Markup.Escape($"{hpa.Spec.ScaleTargetRef.Kind}/{hpa.Spec.ScaleTargetRef.Name}"),
                    cpuTarget is null ? "-" : Invariant($"cpu: {(cpuNow is { } n ? $"{n}%" : "<unknown>")}/{cpuTarget}%"),
                    Invariant($"{hpa.Spec.MinReplicas ?? 1}"),
                    Invariant($"{hpa.Spec.MaxReplicas}"),
                    Invariant($"{hpa.Status?.CurrentReplicas ?? 0}"),
                    Markup.Escape(condition is null ? "-" : $"{condition.Type}={condition.Status} ({condition.Reason})"));
            }

            console.Write(table);
        }

        var pools = new Table().Border(TableBorder.Rounded).Title("Nodes per pool");
        foreach (var header in new[] { "Pool", "Instance", "Nodes", "Min–max", "$/hour each", "$/month" })
        {
            pools.AddColumn(header);
        }

        var total = profile.ControlPlaneMonthlyUsd;
        foreach (var pool in profile.Pools)
        {
            var count = nodes.Count(n => PoolOf(n) == pool.Name);
            var monthly = count * pool.Instance.Prices.OnDemandUsd * CostModel.HoursPerMonth;
            total += monthly;
            pools.AddRow(Markup.Escape(pool.Name), Markup.Escape(pool.Instance.Name), Invariant($"{count}"), Invariant($"{pool.MinNodes}–{pool.MaxNodes}"),
                Invariant($"{pool.Instance.Prices.OnDemandUsd:0.###}"), Invariant($"{monthly:#,0}"));
        }

        console.Write(pools);
        console.MarkupLine(Invariant($"Monthly cost at this size, on demand: [bold]${total:#,0}[/] (control plane ${profile.ControlPlaneMonthlyUsd:#,0} included); cluster time {cluster.Time.GetUtcNow():yyyy-MM-dd HH:mm:ss}Z"));
    }

    // The sandbox labels nodes with their pool; managed node groups and Karpenter use labels of their own.
    private static string PoolOf(V1Node node)
    {
        var labels = node.Metadata.Labels ?? new Dictionary<string, string>();
        foreach (var key in new[] { NodeFactory.PoolLabel, "eks.amazonaws.com/nodegroup", "karpenter.sh/nodepool", "cloud.google.com/gke-nodepool", "agentpool" })
        {
            if (labels.TryGetValue(key, out var pool))
            {
                return pool;
            }
        }

        return labels.TryGetValue("node.kubernetes.io/instance-type", out var type) ? type : "-";
    }

    private static string NodeStatus(V1Node node)
    {
        var ready = node.Status.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status == "True" ? "Ready" : "NotReady";
        return node.Spec.Unschedulable == true ? ready + ",SchedulingDisabled" : ready;
    }

    private static string Share(long used, long of, string unit) =>
        Invariant($"{used}{unit}/{of}{unit} ({(of == 0 ? 0 : 100.0 * used / of):0}%)");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
