using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Metrics;

namespace Keelson.Sandbox.Tests.Metrics;

public sealed class CustomMetricsTests
{
    [Fact]
    public void A_pods_metric_only_an_hpa_names_reads_the_value_the_hpa_scales_on()
    {
        var load = new StepLoad { Millis = 700 }; // 2 pod-equivalents of 500 m at 70 %: at target, so the HPA holds
        var cluster = Small.Cluster(Small.Profile(generalMin: 4, generalMax: 4), load);
        cluster.Apply(Small.Deployment("chat", 2, cpu: "500m"));
        cluster.Apply(Hpa("chat", new V2MetricSpec
        {
            Type = "Pods",
            Pods = new V2PodsMetricSource { Metric = new V2MetricIdentifier { Name = "active_sessions" }, Target = new V2MetricTarget { Type = "AverageValue", AverageValue = new ResourceQuantity("10") } },
        }));
        cluster.Engine.Advance(TimeSpan.FromSeconds(40));

        var pods = CustomMetrics.Pods(cluster.Engine.Context, Small.Ns, "active_sessions");
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.Equal(10, p.Value, 6)); // 2 × 10 sessions over 2 ready pods

        var status = cluster.Engine.Store.Get<V2HorizontalPodAutoscaler>(Small.Ns, "chat")!.Status.CurrentMetrics.Single().Pods.Current.AverageValue;
        Assert.Equal((decimal)pods.Average(p => p.Value), status.ToDecimal());
        Assert.Empty(CustomMetrics.Pods(cluster.Engine.Context, Small.Ns, "queue_depth"));
        Assert.Empty(CustomMetrics.Pods(cluster.Engine.Context, "elsewhere", "active_sessions"));
    }

    [Fact]
    public void Requests_per_second_is_read_from_every_running_pods_usage()
    {
        var cluster = Small.Cluster(Small.Profile(generalMin: 4, generalMax: 4), new StepLoad { Millis = 400 });
        cluster.Apply(Small.Deployment("api", 2, cpu: "500m"));
        cluster.Engine.Advance(TimeSpan.FromSeconds(40));

        var pods = CustomMetrics.Pods(cluster.Engine.Context, Small.Ns, "http_requests_per_second");
        Assert.Equal(2, pods.Count);
        Assert.All(pods, p => Assert.Equal(10, p.Value, 6)); // 200 m each at 20 ms of CPU per request
    }

    [Fact]
    public void An_external_metric_is_the_total_behind_the_hpas_average()
    {
        var load = new StepLoad { Millis = 1050 }; // 3 pod-equivalents
        var cluster = Small.Cluster(Small.Profile(generalMin: 4, generalMax: 4), load);
        cluster.Apply(Small.Deployment("worker", 3, cpu: "500m"));
        cluster.Apply(Hpa("worker", new V2MetricSpec
        {
            Type = "External",
            External = new V2ExternalMetricSource
            {
                Metric = new V2MetricIdentifier { Name = "keelson_queue_length", Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["queue"] = "jobs" } } },
                Target = new V2MetricTarget { Type = "AverageValue", AverageValue = new ResourceQuantity("5") },
            },
        }));
        cluster.Engine.Advance(TimeSpan.FromSeconds(40));

        var series = Assert.Single(CustomMetrics.External(cluster.Engine.Context, Small.Ns, "keelson_queue_length"));
        Assert.Equal(15, series.Value, 6);
        Assert.Equal("jobs", series.Labels["queue"]);
        var status = cluster.Engine.Store.Get<V2HorizontalPodAutoscaler>(Small.Ns, "worker")!.Status.CurrentMetrics.Single().External.Current.AverageValue;
        Assert.Equal(5m, status.ToDecimal());
        Assert.Empty(CustomMetrics.External(cluster.Engine.Context, Small.Ns, "other"));
    }

    private static V2HorizontalPodAutoscaler Hpa(string name, V2MetricSpec metric) => new()
    {
        ApiVersion = "autoscaling/v2",
        Kind = "HorizontalPodAutoscaler",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Small.Ns },
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            MinReplicas = 1,
            MaxReplicas = 10,
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = name },
            Metrics = [metric],
        },
    };

    private sealed class StepLoad : ILoadModel
    {
        public double Millis { get; set; }

        public double? CpuDemandMillis(string ns, string workload, DateTimeOffset at) => Millis;
    }
}
