using k8s.Models;
using Keelson.Sandbox.Controllers;
using Keelson.Sandbox.Engine;

namespace Keelson.Sandbox.Metrics;

/// <summary>One pod's value of a custom metric.</summary>
/// <param name="Namespace">Pod namespace.</param>
/// <param name="Pod">Pod name.</param>
/// <param name="Value">The metric's value for the pod.</param>
public sealed record PodMetricValue(string Namespace, string Pod, double Value);

/// <summary>One series of an external metric: the labels its HPA selects it by and its value.</summary>
/// <param name="Labels">The metric's labels (the HPA's <c>metric.selector.matchLabels</c>).</param>
/// <param name="Value">The metric's total value.</param>
public sealed record ExternalMetricValue(IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// What the custom and external metrics APIs (<c>custom.metrics.k8s.io</c>, <c>external.metrics.k8s.io</c>) would
/// answer in the sandbox: the same readings <see cref="HpaMetrics"/> scales on, so a metrics adapter's view and the
/// HPA's status agree. A per-pod metric whose name says what it is (requests per second, latency, errors, GPU) is
/// read from every running pod's usage; any other per-pod or external metric exists only where an HPA names it,
/// as the workload's load in pod-equivalents times that HPA's target (the sandbox has no exporter that could
/// define it otherwise).
/// </summary>
public static class CustomMetrics
{
    /// <summary>The pods of <paramref name="ns"/> that have <paramref name="metric"/>, ordered by name; empty when none has it.</summary>
    public static IReadOnlyList<PodMetricValue> Pods(SandboxContext context, string ns, string metric)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(metric);
        var usage = UsageModel.Pods(context).Where(u => u.Namespace == ns).ToList();
        if (HpaMetrics.Known(metric) is { } read)
        {
            return [.. usage.Select(u => new PodMetricValue(u.Namespace, u.Name, read(u)))];
        }

        var values = new List<PodMetricValue>();
        foreach (var hpa in context.Store.List<V2HorizontalPodAutoscaler>(ns))
        {
            var target = hpa.Spec.Metrics?.FirstOrDefault(m => m.Type == "Pods" && m.Pods?.Metric?.Name == metric)?.Pods.Target?.AverageValue;
            if (target is null || Load(context, ns, hpa.Spec.ScaleTargetRef.Name) is not { } load)
            {
                continue;
            }

            var perPod = load.PodEquivalents * (double)target.ToDecimal() / load.Ready.Count;
            values.AddRange(load.Ready.Select(p => new PodMetricValue(ns, p, perPod)));
        }

        return [.. values.DistinctBy(v => v.Pod).OrderBy(v => v.Pod, StringComparer.Ordinal)];
    }

    /// <summary>The series of external metric <paramref name="metric"/> in <paramref name="ns"/>; empty when no HPA there names it.</summary>
    public static IReadOnlyList<ExternalMetricValue> External(SandboxContext context, string ns, string metric)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(metric);
        var values = new List<ExternalMetricValue>();
        foreach (var hpa in context.Store.List<V2HorizontalPodAutoscaler>(ns).OrderBy(h => h.Metadata.Name, StringComparer.Ordinal))
        {
            var spec = hpa.Spec.Metrics?.FirstOrDefault(m => m.Type == "External" && m.External?.Metric?.Name == metric)?.External;
            if (spec is not null && QueueBacklog.Read(context, metric, spec.Metric.Selector?.MatchLabels) is { } backlog)
            {
                values.Add(new ExternalMetricValue(new SortedDictionary<string, string>(spec.Metric.Selector!.MatchLabels, StringComparer.Ordinal), backlog));
                continue;
            }

            if (spec?.Target is not { } target || Load(context, ns, hpa.Spec.ScaleTargetRef.Name) is not { } load)
            {
                continue;
            }

            var perPod = (double)(target.AverageValue ?? target.Value ?? new ResourceQuantity("1")).ToDecimal();
            var labels = spec.Metric.Selector?.MatchLabels is { } match
                ? new SortedDictionary<string, string>(match, StringComparer.Ordinal)
                : new SortedDictionary<string, string>(StringComparer.Ordinal);
            values.Add(new ExternalMetricValue(labels, load.PodEquivalents * perPod));
        }

        return values;
    }

    // The ready pods of a workload and its demand in pod-equivalents, as the HPA controller reads them; null without ready pods.
    private static (IReadOnlyList<string> Ready, double PodEquivalents)? Load(SandboxContext context, string ns, string workload)
    {
        var ready = context.Store.List<V1Pod>(ns)
            .Where(p => Engine.Pods.IsActive(p) && Engine.Pods.IsReady(p) && UsageModel.Workload(context, p) == workload)
            .OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        if (ready.Count == 0)
        {
            return null;
        }

        var request = PodResources.Request(ready[0].Spec, "cpu", milli: true);
        var demand = UsageModel.CpuDemandMillis(context, ns, workload, ready.Count, request);
        return ([.. ready.Select(p => p.Metadata.Name)], HpaMetrics.PodEquivalents(demand, request));
    }
}
