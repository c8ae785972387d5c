using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Metrics;

namespace Keelson.Sandbox.Tests.Metrics;

public sealed class NamespaceUsageTests
{
    [Fact]
    public void A_namespace_reads_the_sum_and_request_weighted_means_of_its_pods()
    {
        var cluster = Small.Cluster(load: new Load());
        cluster.Apply(Small.Deployment("api", 2, cpu: "500m"));
        cluster.Apply(Small.Deployment("batch", 1, cpu: "1"));
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));

        var readings = NamespaceUsage.Read(cluster.Engine.Context)[Small.Ns].ToDictionary(r => r.Name, r => r.Value);
        var pods = UsageModel.Pods(cluster.Engine.Context).Where(p => p.Namespace == Small.Ns).ToList();
        Assert.Equal(["cpu_usage_cores", "cpu_usage_percent", "memory_usage_bytes", "memory_usage_percent", "requests_per_second", "latency_seconds", "error_ratio", "pods_running"], readings.Keys);
        Assert.Equal(1.0, readings["cpu_usage_cores"], 6); // api 2 × 300 m + batch 400 m
        Assert.Equal((0.6 + 0.6 + 0.4) / 3 * 100, readings["cpu_usage_percent"], 6);
        Assert.Equal(pods.Sum(p => (double)p.MemoryBytes), readings["memory_usage_bytes"]);
        // Limits of 256 Mi each; the model's working set is 45 % of it plus 35 % of the CPU utilisation (api 0.6, batch 0.4).
        Assert.Equal((0.66 + 0.66 + 0.59) / 3 * 100, readings["memory_usage_percent"], 3);
        Assert.Equal(50, readings["requests_per_second"], 6); // 1000 m at 20 ms per request
        Assert.Equal(pods.Sum(p => p.LatencySeconds * p.RequestsPerSecond) / 50, readings["latency_seconds"], 9);
        Assert.InRange(readings["latency_seconds"], pods.Min(p => p.LatencySeconds), pods.Max(p => p.LatencySeconds));
        Assert.Equal(3, readings["pods_running"]);
        Assert.DoesNotContain("gpu_utilization_percent", readings.Keys);
    }

    [Fact]
    public void Each_workload_reads_its_own_pods_and_the_namespace_reads_them_all()
    {
        var cluster = Small.Cluster(load: new Load());
        cluster.Apply(Small.Deployment("api", 2, cpu: "500m"));
        cluster.Apply(Small.Deployment("batch", 1, cpu: "1"));
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));

        var both = NamespaceUsage.ReadWithWorkloads(cluster.Engine.Context)[Small.Ns];
        Assert.Equal(["api", "batch"], both.Workloads.Keys);
        var api = both.Workloads["api"].ToDictionary(r => r.Name, r => r.Value);
        var batch = both.Workloads["batch"].ToDictionary(r => r.Name, r => r.Value);
        Assert.Equal((0.6, 0.4), (api["cpu_usage_cores"], batch["cpu_usage_cores"])); // 2 × 300 m; 400 m
        Assert.Equal((60.0, 40.0), (Math.Round(api["cpu_usage_percent"], 6), Math.Round(batch["cpu_usage_percent"], 6)));
        Assert.Equal((2.0, 1.0), (api["pods_running"], batch["pods_running"]));
        Assert.Equal((30.0, 20.0), (Math.Round(api["requests_per_second"], 6), Math.Round(batch["requests_per_second"], 6)));

        // The namespace's readings are the same as Read's, and its additive figures are the workloads' sums.
        var total = both.Namespace.ToDictionary(r => r.Name, r => r.Value);
        Assert.Equal(NamespaceUsage.Read(cluster.Engine.Context)[Small.Ns].ToDictionary(r => r.Name, r => r.Value), total);
        foreach (var additive in new[] { "cpu_usage_cores", "memory_usage_bytes", "requests_per_second", "pods_running" })
        {
            Assert.Equal(total[additive], api[additive] + batch[additive], 6);
        }
    }

    [Fact]
    public void A_namespace_without_running_pods_has_no_readings()
    {
        var cluster = Small.Cluster(load: new Load());
        Assert.False(NamespaceUsage.Read(cluster.Engine.Context).ContainsKey(Small.Ns));
        Assert.Throws<ArgumentException>(() => NamespaceUsage.Reduce([]));
    }

    private sealed class Load : ILoadModel
    {
        public double? CpuDemandMillis(string ns, string workload, DateTimeOffset at) => workload == "api" ? 600 : 400;
    }
}
