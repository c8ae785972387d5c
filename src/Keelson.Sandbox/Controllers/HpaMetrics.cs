using System.Globalization;
using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Metrics;

namespace Keelson.Sandbox.Controllers;

/// <summary>What one HPA metric asks for: the replica count, the status kubectl shows, and the words for events.</summary>
/// <param name="Desired">Replicas this metric alone wants.</param>
/// <param name="Status">The metric's current value as <c>status.currentMetrics</c> reports it.</param>
/// <param name="Reason">How the event names the metric, e.g. <c>cpu resource utilization (percentage of request)</c>.</param>
public sealed record MetricProposal(int Desired, V2MetricStatus Status, string Reason);

/// <summary>
/// Reads every metric of an HPA from the sandbox's usage model, as the HPA controller reads metrics-server and the
/// custom/external metrics APIs. Resource metrics (cpu, memory) come from the pods' usage; Pods metrics named for
/// requests per second, latency, errors or GPU use read those numbers from the usage model; any other Pods,
/// Object or External metric (a queue length, sessions) reads the workload's demand in pod-equivalents — how many
/// pods at the planned share of their CPU request the demand needs — times the metric's per-pod target.
/// </summary>
public static class HpaMetrics
{
    /// <summary>The planned share of a pod's CPU request at which one pod-equivalent of load is served.</summary>
    public const double PlannedShare = 0.7;

    /// <summary>Each metric's proposal; metrics the sandbox cannot read are left out.</summary>
    public static IReadOnlyList<MetricProposal> Evaluate(SandboxContext context, V2HorizontalPodAutoscaler hpa, string workload, IReadOnlyList<V1Pod> pods, int current, V1PodTemplateSpec template)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(hpa);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(template);
        var ns = hpa.Metadata.NamespaceProperty;
        var ready = pods.Where(Pods.IsReady).ToList();
        var request = PodResources.Request(template.Spec, "cpu", milli: true);
        var limit = template.Spec.Containers.All(c => c.Resources?.Limits?.ContainsKey("cpu") == true)
            ? template.Spec.Containers.Sum(c => (long)(c.Resources.Limits["cpu"].ToDecimal() * 1000))
            : 0;
        var tolerance = context.Options.HpaTolerance;
        var proposals = new List<MetricProposal>();
        if (current == 0 || ready.Count == 0)
        {
            return proposals;
        }

        var demand = UsageModel.CpuDemandMillis(context, ns, workload, ready.Count, request);
        var names = ready.Select(p => p.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        var usage = UsageModel.Pods(context).Where(u => u.Namespace == ns && names.Contains(u.Name)).ToList();
        var podEquivalents = PodEquivalents(demand, request);
        foreach (var metric in hpa.Spec.Metrics ?? [])
        {
            var proposal = metric.Type switch
            {
                "Resource" when metric.Resource?.Name == "cpu" && metric.Resource.Target?.AverageUtilization is { } target && request > 0 =>
                    Cpu(current, ready.Count, demand, request, limit, target, tolerance),
                "Resource" when metric.Resource?.Name == "memory" && metric.Resource.Target?.AverageUtilization is { } target && usage.Count > 0 =>
                    Memory(current, usage, PodResources.Request(template.Spec, "memory", milli: false), target, tolerance),
                "Pods" when metric.Pods?.Target?.AverageValue is { } target && usage.Count > 0 =>
                    Average(current, ready.Count, PodValue(metric.Pods.Metric.Name, usage, podEquivalents, (double)target.ToDecimal()), target, tolerance,
                        v => new V2MetricStatus { Type = "Pods", Pods = new V2PodsMetricStatus { Metric = metric.Pods.Metric, Current = new V2MetricValueStatus { AverageValue = v } } }, metric.Pods.Metric.Name),
                "External" when metric.External?.Target is { } target && QueueBacklog.Read(context, metric.External.Metric.Name, metric.External.Metric.Selector?.MatchLabels) is { } backlog =>
                    Backlog(current, backlog, target, tolerance, v => new V2MetricStatus { Type = "External", External = new V2ExternalMetricStatus { Metric = metric.External.Metric, Current = v } }, "external metric " + metric.External.Metric.Name),
                "External" when metric.External?.Target is { } target => Total(current, ready.Count, podEquivalents, target, tolerance,
                    v => new V2MetricStatus { Type = "External", External = new V2ExternalMetricStatus { Metric = metric.External.Metric, Current = v } }, "external metric " + metric.External.Metric.Name),
                "Object" when metric.ObjectProperty?.Target is { } target => Total(current, ready.Count, podEquivalents, target, tolerance,
                    v => new V2MetricStatus { Type = "Object", ObjectProperty = new V2ObjectMetricStatus { Metric = metric.ObjectProperty.Metric, DescribedObject = metric.ObjectProperty.DescribedObject, Current = v } }, "object metric " + metric.ObjectProperty.Metric.Name),
                _ => null,
            };
            if (proposal is not null)
            {
                proposals.Add(proposal);
            }
        }

        return proposals;
    }

    private static MetricProposal Cpu(int current, int ready, double demand, long request, long limit, int target, double tolerance)
    {
        var (desired, utilisation) = HorizontalPodAutoscalerController.Desired(current, ready, demand, request, limit, target, tolerance);
        var perPod = Math.Min(demand / ready, limit > 0 ? limit : double.MaxValue);
        return new MetricProposal(desired, new V2MetricStatus
        {
            Type = "Resource",
            Resource = new V2ResourceMetricStatus { Name = "cpu", Current = new V2MetricValueStatus { AverageUtilization = utilisation, AverageValue = Millis(perPod) } },
        }, "cpu resource utilization (percentage of request)");
    }

    private static MetricProposal Memory(int current, List<PodUsage> usage, long request, int target, double tolerance)
    {
        var average = usage.Average(u => (double)u.MemoryBytes);
        var utilisation = request > 0 ? (int)Math.Round(average * 100 / request) : (int?)null;
        var ratio = utilisation is { } u ? u / (double)target : 1;
        var desired = Math.Abs(ratio - 1) <= tolerance ? current : (int)Math.Ceiling(usage.Count * ratio);
        return new MetricProposal(desired, new V2MetricStatus
        {
            Type = "Resource",
            Resource = new V2ResourceMetricStatus { Name = "memory", Current = new V2MetricValueStatus { AverageUtilization = utilisation, AverageValue = new ResourceQuantity(((long)average).ToString(CultureInfo.InvariantCulture)) } },
        }, "memory resource utilization (percentage of request)");
    }

    /// <summary>
    /// How the usage model reads a per-pod metric whose name says what it is (requests per second, latency, errors,
    /// GPU utilisation in percent); null for any other name, which reads the workload's load in pod-equivalents.
    /// </summary>
    public static Func<PodUsage, double>? Known(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name switch
        {
            _ when name.Contains("request", StringComparison.OrdinalIgnoreCase) && name.Contains("second", StringComparison.OrdinalIgnoreCase) => u => u.RequestsPerSecond,
            _ when name.Contains("latency", StringComparison.OrdinalIgnoreCase) => u => u.LatencySeconds,
            _ when name.Contains("error", StringComparison.OrdinalIgnoreCase) => u => u.ErrorRatio,
            _ when name.Contains("gpu", StringComparison.OrdinalIgnoreCase) => u => (u.GpuUtilisation ?? 0) * 100,
            _ => null,
        };
    }

    /// <summary>How many pods at the planned share of their CPU request <paramref name="demandMillis"/> needs.</summary>
    public static double PodEquivalents(double demandMillis, long requestMillis) => demandMillis / (Math.Max(requestMillis, 1) * PlannedShare);

    // A per-pod value: the usage model's own number when the name says what it is, else the generic load reading.
    private static double PodValue(string name, List<PodUsage> usage, double podEquivalents, double target) =>
        Known(name) is { } read ? usage.Average(read) : podEquivalents * target / usage.Count;

    private static MetricProposal Average(int current, int ready, double value, ResourceQuantity target, double tolerance, Func<ResourceQuantity, V2MetricStatus> status, string name)
    {
        var ratio = value / (double)target.ToDecimal();
        var desired = Math.Abs(ratio - 1) <= tolerance ? current : (int)Math.Ceiling(ready * ratio);
        return new MetricProposal(desired, status(Millis(value * 1000)), $"pods metric {name}");
    }

    // External and Object metrics: a total (Value) or a total per current pod (AverageValue).
    private static MetricProposal Total(int current, int ready, double podEquivalents, V2MetricTarget target, double tolerance, Func<V2MetricValueStatus, V2MetricStatus> status, string reason)
    {
        var perPod = (double)(target.AverageValue ?? target.Value ?? new ResourceQuantity("1")).ToDecimal();
        var total = podEquivalents * perPod;
        if (target.AverageValue is not null)
        {
            var ratio = total / current / perPod;
            var desired = Math.Abs(ratio - 1) <= tolerance ? current : (int)Math.Ceiling(total / perPod);
            return new MetricProposal(desired, status(new V2MetricValueStatus { AverageValue = Millis(total / current * 1000) }), reason);
        }

        var usage = total / perPod / ready;
        return new MetricProposal(Math.Abs(usage - 1) <= tolerance ? current : (int)Math.Ceiling(ready * usage), status(new V2MetricValueStatus { Value = Millis(usage * perPod * 1000) }), reason);
    }

    // A measured external total (a queue's waiting jobs): AverageValue divides it over the current pods, Value compares it whole.
    private static MetricProposal Backlog(int current, double total, V2MetricTarget target, double tolerance, Func<V2MetricValueStatus, V2MetricStatus> status, string reason)
    {
        if (target.AverageValue is { } average)
        {
            var perPod = (double)average.ToDecimal();
            var ratio = total / current / perPod;
            var desired = Math.Abs(ratio - 1) <= tolerance ? current : (int)Math.Ceiling(total / perPod);
            return new MetricProposal(desired, status(new V2MetricValueStatus { AverageValue = Millis(total / current * 1000) }), reason);
        }

        var ratioToValue = total / (double)(target.Value ?? new ResourceQuantity("1")).ToDecimal();
        var scaled = Math.Abs(ratioToValue - 1) <= tolerance ? current : (int)Math.Ceiling(current * ratioToValue);
        return new MetricProposal(scaled, status(new V2MetricValueStatus { Value = Millis(total * 1000) }), reason);
    }

    // Quantities in milli-units, as the metrics APIs report fractional values (e.g. 1500m).
    private static ResourceQuantity Millis(double millis) => new(string.Create(CultureInfo.InvariantCulture, $"{(long)Math.Round(millis)}m"));
}
