using System.Globalization;
using System.Text.RegularExpressions;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Metrics;

namespace Keelson.Sandbox.Tests.Metrics;

public sealed class ClusterMetricsTests
{
    [Fact]
    public void The_cpu_counter_grows_by_usage_times_virtual_time_between_scrapes()
    {
        var load = new FixedLoad { Millis = 1000 };
        var cluster = Small.Cluster(load: load);
        cluster.Apply(Small.Deployment("api", 2, cpu: "500m"));
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));
        var counters = new Counters();

        var before = Cpu(ClusterMetrics.Write(cluster.Engine.Context, counters));
        cluster.Engine.Advance(TimeSpan.FromSeconds(60));
        load.Millis = 0; // read at this scrape; the minute before ran at 500 m per pod
        var after = Cpu(ClusterMetrics.Write(cluster.Engine.Context, counters));

        Assert.Equal(2, before.Count);
        foreach (var (pod, seconds) in before)
        {
            Assert.Equal(seconds + 30, after[pod], 6); // 500 m for 60 s
        }

        cluster.Engine.Advance(TimeSpan.FromSeconds(60));
        var idle = Cpu(ClusterMetrics.Write(cluster.Engine.Context, counters));
        Assert.All(idle, s => Assert.Equal(after[s.Key], s.Value, 6)); // idle, and never back down
    }

    [Fact]
    public void Every_family_is_written_once_with_help_and_type()
    {
        var cluster = Small.Cluster(load: new FixedLoad { Millis = 300 });
        cluster.Apply(Small.Deployment("api", 1));
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));
        var lines = ClusterMetrics.Write(cluster.Engine.Context, new Counters()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var types = lines.Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToList();
        Assert.Equal(types.Count, types.Distinct().Count());
        Assert.Equal(types.Count, lines.Count(l => l.StartsWith("# HELP ", StringComparison.Ordinal)));
        Assert.Contains("kube_pod_status_phase", types);
        Assert.Contains("http_request_duration_seconds", types);
    }

    private static Dictionary<string, double> Cpu(string exposition) =>
        Regex.Matches(exposition, @"^container_cpu_usage_seconds_total\{namespace=""shop"",pod=""(api-[^""]+)"",container=""app""[^}]*\} (\S+)$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));

    private sealed class FixedLoad : ILoadModel
    {
        public double Millis { get; set; }

        public double? CpuDemandMillis(string ns, string workload, DateTimeOffset at) => Millis;
    }
}
