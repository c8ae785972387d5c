using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Metrics;

namespace Keelson.Sandbox.Tests.Metrics;

public sealed class UsageModelTests
{
    [Fact]
    public void Ready_pods_share_the_workloads_demand_and_memory_grows_with_it()
    {
        var load = new FixedLoad { Millis = 600 };
        var cluster = Small.Cluster(load: load);
        cluster.Apply(Small.Deployment("api", 3, cpu: "500m"));
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));

        var pods = UsageModel.Pods(cluster.Engine.Context).Where(p => p.Workload == "api").ToList();
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p => Assert.Equal(200, p.CpuMillis, 6));
        Assert.All(pods, p => Assert.Equal(0.4, p.Utilisation, 6));
        var quiet = pods[0].MemoryBytes;

        load.Millis = 1200;
        var busy = UsageModel.Pods(cluster.Engine.Context).First(p => p.Workload == "api");
        Assert.Equal(400, busy.CpuMillis, 6);
        Assert.True(busy.MemoryBytes > quiet, $"{busy.MemoryBytes} <= {quiet}");
        Assert.True(busy.MemoryBytes <= 256L * 1024 * 1024);
        Assert.True(busy.LatencySeconds > pods[0].LatencySeconds);
    }

    [Fact]
    public void Demand_beyond_the_limit_is_capped_and_shows_as_errors()
    {
        var cluster = Small.Cluster(load: new FixedLoad { Millis = 3000 });
        cluster.Apply(Small.Deployment("api", 2, cpu: "500m"));
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));

        var pod = UsageModel.Pods(cluster.Engine.Context).First(p => p.Workload == "api");
        Assert.Equal(500, pod.CpuMillis, 6); // 1500 m wanted, 500 m limit
        Assert.Equal(0.001 + (2.0 / 3), pod.ErrorRatio, 6);
        Assert.Equal(25, pod.RequestsPerSecond, 6);
    }

    [Fact]
    public void Without_a_load_model_pods_run_at_their_hpa_target_or_an_idle_share()
    {
        var cluster = Small.Cluster();
        cluster.Apply(Small.Deployment("api", 2, cpu: "500m"));
        cluster.Apply(Small.Deployment("batch", 1, cpu: "1"));
        cluster.Apply(new V2HorizontalPodAutoscaler
        {
            ApiVersion = "autoscaling/v2",
            Kind = "HorizontalPodAutoscaler",
            Metadata = new V1ObjectMeta { Name = "api", NamespaceProperty = Small.Ns },
            Spec = new V2HorizontalPodAutoscalerSpec
            {
                MinReplicas = 1,
                MaxReplicas = 5,
                ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "api" },
                Metrics = [new V2MetricSpec { Type = "Resource", Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = 60 } } }],
            },
        });
        cluster.Engine.Advance(TimeSpan.FromMinutes(3));

        var pods = UsageModel.Pods(cluster.Engine.Context);
        Assert.All(pods.Where(p => p.Workload == "api"), p => Assert.Equal(300, p.CpuMillis, 6));
        Assert.Equal(1000 * UsageModel.IdleShare, pods.Single(p => p.Workload == "batch").CpuMillis, 6);
        Assert.Equal(2, cluster.Engine.Store.Get<V1Deployment>(Small.Ns, "api")!.Spec.Replicas);
        Assert.Equal(60, cluster.Engine.Store.Get<V2HorizontalPodAutoscaler>(Small.Ns, "api")!.Status.CurrentMetrics.Single().Resource.Current.AverageUtilization);
    }

    [Fact]
    public void Gpu_pods_report_gpu_utilisation_and_requests_from_their_gpus()
    {
        var cluster = Small.Cluster(load: new FixedLoad { Millis = 400 });
        var deployment = Small.Deployment("llm", 1, cpu: "1");
        var container = deployment.Spec.Template.Spec.Containers[0];
        container.Resources.Requests["nvidia.com/gpu"] = new ResourceQuantity("1");
        container.Resources.Limits["nvidia.com/gpu"] = new ResourceQuantity("1");
        deployment.Spec.Template.Spec.Tolerations = [new V1Toleration { Key = "nvidia.com/gpu", OperatorProperty = "Exists", Effect = "NoSchedule" }];
        cluster.Apply(deployment);
        cluster.Engine.Advance(TimeSpan.FromMinutes(6));

        var pod = UsageModel.Pods(cluster.Engine.Context).Single(p => p.Workload == "llm");
        Assert.Equal(1, pod.Gpus);
        Assert.Equal(0.4, pod.GpuUtilisation!.Value, 6);
        Assert.Equal(8, pod.RequestsPerSecond, 6);
    }

    [Fact]
    public void A_node_uses_its_pods_plus_the_system_daemons_and_readings_repeat_on_the_same_clock()
    {
        var cluster = Small.Cluster(load: new FixedLoad { Millis = 900 });
        cluster.Apply(Small.Deployment("api", 3, cpu: "500m"));
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));

        var pods = UsageModel.Pods(cluster.Engine.Context);
        var nodes = UsageModel.Nodes(cluster.Engine.Context, pods);
        Assert.NotEmpty(nodes);
        foreach (var node in nodes)
        {
            var mine = pods.Where(p => p.Node == node.Name).ToList();
            Assert.Equal(UsageModel.SystemCpuMillis + mine.Sum(p => p.CpuMillis), node.CpuMillis, 6);
            Assert.Equal(UsageModel.SystemMemoryBytes + mine.Sum(p => p.MemoryBytes), node.MemoryBytes);
        }

        Assert.Equal(pods, UsageModel.Pods(cluster.Engine.Context), new UsageComparer());
    }

    private sealed class UsageComparer : IEqualityComparer<PodUsage>
    {
        public bool Equals(PodUsage? x, PodUsage? y) => x is not null && y is not null && x with { Containers = [] } == y with { Containers = [] } && x.Containers.SequenceEqual(y.Containers);

        public int GetHashCode(PodUsage obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }

    private sealed class FixedLoad : ILoadModel
    {
        public double Millis { get; set; }

        public double? CpuDemandMillis(string ns, string workload, DateTimeOffset at) => Millis;
    }
}
