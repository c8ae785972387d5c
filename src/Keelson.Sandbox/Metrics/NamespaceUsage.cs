using Keelson.Sandbox.Engine;

namespace Keelson.Sandbox.Metrics;

/// <summary>One tenant-level number of a namespace at an instant, named as a Prometheus metric.</summary>
/// <param name="Name">The metric name, e.g. <c>cpu_usage_percent</c>.</param>
/// <param name="Value">Its value.</param>
public sealed record UsageReading(string Name, double Value);

/// <summary>A namespace's readings and, per workload, the same readings of that workload's pods alone.</summary>
/// <param name="Namespace">The whole namespace's readings.</param>
/// <param name="Workloads">Workload name → its readings, ordered by name.</param>
public sealed record WorkloadReadings(IReadOnlyList<UsageReading> Namespace, IReadOnlyDictionary<string, IReadOnlyList<UsageReading>> Workloads);

/// <summary>
/// A namespace's running pods reduced to the numbers a tenant dashboard shows — what an agent beside the stack
/// would push: CPU (cores, and percent of request), memory (bytes, and percent of limit), GPU utilisation, requests, latency, errors, pods.
/// Latency and errors are weighted by each pod's requests, so an idle pod does not dilute them.
/// </summary>
public static class NamespaceUsage
{
    /// <summary>Every name <see cref="Reduce"/> may give a reading (GPU utilisation only where pods have GPUs).</summary>
    public static readonly IReadOnlyList<string> MetricNames =
        ["cpu_usage_cores", "cpu_usage_percent", "memory_usage_bytes", "memory_usage_percent", "gpu_utilization_percent", "requests_per_second", "latency_seconds", "error_ratio", "pods_running"];

    /// <summary>Every namespace with running pods and its readings now, ordered by namespace.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<UsageReading>> Read(SandboxContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return UsageModel.Pods(context)
            .GroupBy(p => p.Namespace, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Reduce([.. g]), StringComparer.Ordinal);
    }

    /// <summary>
    /// Every namespace with running pods, its readings now and those of each workload in it (the Deployment,
    /// StatefulSet or other owner whose load its pods share), ordered by namespace then workload.
    /// </summary>
    public static IReadOnlyDictionary<string, WorkloadReadings> ReadWithWorkloads(SandboxContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return UsageModel.Pods(context)
            .GroupBy(p => p.Namespace, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => new WorkloadReadings(
                    Reduce([.. g]),
                    g.GroupBy(p => p.Workload, StringComparer.Ordinal).OrderBy(w => w.Key, StringComparer.Ordinal)
                        .ToDictionary(w => w.Key, w => Reduce([.. w]), StringComparer.Ordinal)),
                StringComparer.Ordinal);
    }

    /// <summary>The readings of one namespace's pods (at least one).</summary>
    public static IReadOnlyList<UsageReading> Reduce(IReadOnlyList<PodUsage> pods)
    {
        ArgumentNullException.ThrowIfNull(pods);
        if (pods.Count == 0)
        {
            throw new ArgumentException("A namespace's usage needs at least one running pod.", nameof(pods));
        }

        var requests = pods.Sum(p => p.RequestsPerSecond);
        var readings = new List<UsageReading>
        {
            new("cpu_usage_cores", pods.Sum(p => p.CpuMillis) / 1000),
            new("cpu_usage_percent", pods.Average(p => p.Utilisation) * 100),
            new("memory_usage_bytes", pods.Sum(p => (double)p.MemoryBytes)),

            // Of the limits, as container dashboards show it: what the seed's memory_usage (a percentage) means.
            new("memory_usage_percent", pods.Sum(p => (double)p.MemoryBytes) / pods.Sum(p => (double)p.MemoryBasisBytes) * 100),
        };
        if (pods.Where(p => p.GpuUtilisation is not null).ToList() is { Count: > 0 } gpuPods)
        {
            readings.Add(new("gpu_utilization_percent", gpuPods.Average(p => p.GpuUtilisation!.Value) * 100));
        }

        readings.Add(new("requests_per_second", requests));
        readings.Add(new("latency_seconds", requests > 0 ? pods.Sum(p => p.LatencySeconds * p.RequestsPerSecond) / requests : pods.Average(p => p.LatencySeconds)));
        readings.Add(new("error_ratio", requests > 0 ? pods.Sum(p => p.ErrorRatio * p.RequestsPerSecond) / requests : pods.Average(p => p.ErrorRatio)));
        readings.Add(new("pods_running", pods.Count));
        return readings;
    }
}
