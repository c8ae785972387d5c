using k8s.Models;
using Keelson.Sandbox.Engine;

namespace Keelson.Sandbox.Tests.Controllers;

public sealed class HpaMetricsTests
{
    [Fact]
    public void An_ai_service_scales_from_requests_per_second_per_pod()
    {
        var load = new StepLoad { Millis = 400 }; // 2 pods × 200 m → 10 requests/s each, at the target
        var cluster = Small.Cluster(Small.Profile(generalMin: 4, generalMax: 4), load);
        cluster.Apply(Small.Deployment("chat", 2, cpu: "500m"));
        cluster.Apply(Hpa("chat", new V2MetricSpec
        {
            Type = "Pods",
            Pods = new V2PodsMetricSource { Metric = new V2MetricIdentifier { Name = "http_requests_per_second" }, Target = new V2MetricTarget { Type = "AverageValue", AverageValue = new ResourceQuantity("10") } },
        }));
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(2, Replicas(cluster, "chat"));
        var status = cluster.Engine.Store.Get<V2HorizontalPodAutoscaler>(Small.Ns, "chat")!.Status;
        Assert.Equal("10", status.CurrentMetrics.Single().Pods.Current.AverageValue.ToString());

        load.Millis = 1000; // 500 m per pod (the limit) → 25 requests/s each → 5 pods
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(5, Replicas(cluster, "chat"));
        Assert.Equal(("ScalingActive", "ValidMetricFound"), Condition(cluster, "chat"));
    }

    [Fact]
    public void A_worker_scales_from_its_external_queue_length()
    {
        var load = new StepLoad { Millis = 700 }; // 2 pods at 70 % of 500 m: two pod-equivalents, backlog 2 × 5
        var cluster = Small.Cluster(Small.Profile(generalMin: 4, generalMax: 4), load);
        cluster.Apply(Small.Deployment("worker", 2, cpu: "500m"));
        cluster.Apply(Hpa("worker", new V2MetricSpec
        {
            Type = "External",
            External = new V2ExternalMetricSource
            {
                Metric = new V2MetricIdentifier { Name = "keelson_queue_length" },
                Target = new V2MetricTarget { Type = "AverageValue", AverageValue = new ResourceQuantity("5") },
            },
        }));
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(2, Replicas(cluster, "worker"));

        load.Millis = 1750; // five pod-equivalents
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(5, Replicas(cluster, "worker"));
        var current = cluster.Engine.Store.Get<V2HorizontalPodAutoscaler>(Small.Ns, "worker")!.Status.CurrentMetrics.Single().External.Current;
        Assert.Equal(5m, current.AverageValue.ToDecimal());
    }

    [Fact]
    public void A_worker_scales_on_the_waiting_jobs_of_its_keelson_queue()
    {
        // No load at all: only the queue's suspended Jobs drive the HPA.
        var cluster = Small.Cluster(Small.Profile(generalMin: 4, generalMax: 4), new StepLoad { Millis = 0 });
        cluster.Apply(Small.Deployment("engine", 1, cpu: "500m"));
        cluster.Apply(Hpa("engine", new V2MetricSpec
        {
            Type = "External",
            External = new V2ExternalMetricSource
            {
                Metric = new V2MetricIdentifier
                {
                    Name = "keelson_queue_pending_jobs",
                    Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["queue"] = "etl", ["tenant"] = Small.Ns } },
                },
                Target = new V2MetricTarget { Type = "AverageValue", AverageValue = new ResourceQuantity("2") },
            },
        }));
        for (var i = 0; i < 7; i++)
        {
            cluster.Apply(QueuedJob($"run-{i}", "etl", suspended: true));
        }

        // Counted: suspended Jobs of this queue. Not counted: another queue's, and an admitted (running) one.
        cluster.Apply(QueuedJob("other", "reports", suspended: true));
        cluster.Apply(QueuedJob("admitted", "etl", suspended: false));
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(4, Replicas(cluster, "engine")); // ceil(7 waiting / 2 per replica)
        var current = cluster.Engine.Store.Get<V2HorizontalPodAutoscaler>(Small.Ns, "engine")!.Status.CurrentMetrics.Single().External.Current;
        Assert.Equal(1.75m, current.AverageValue.ToDecimal()); // 7 over the 4 replicas it now has
        var series = Assert.Single(Keelson.Sandbox.Metrics.CustomMetrics.External(cluster.Engine.Context, Small.Ns, "keelson_queue_pending_jobs"));
        Assert.Equal(7, series.Value);

        // The queue drains: after the scale-down window the worker is back at its minimum.
        for (var i = 0; i < 7; i++)
        {
            cluster.Engine.Store.Delete(Keelson.Sandbox.Store.StoreKey.Of(cluster.Engine.Store.Get<V1Job>(Small.Ns, $"run-{i}")!));
        }

        cluster.Engine.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(4, Replicas(cluster, "engine"));
        cluster.Engine.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, Replicas(cluster, "engine"));
    }

    private static V1Job QueuedJob(string name, string queue, bool suspended) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Small.Ns, Labels = new Dictionary<string, string> { ["keelson.dev/queue"] = queue } },
        Spec = new V1JobSpec { Suspend = suspended, Template = Small.Template(name) },
    };

    private static int Replicas(SandboxCluster cluster, string name) => cluster.Engine.Store.Get<V1Deployment>(Small.Ns, name)!.Spec.Replicas!.Value;

    private static (string, string) Condition(SandboxCluster cluster, string name)
    {
        var condition = cluster.Engine.Store.Get<V2HorizontalPodAutoscaler>(Small.Ns, name)!.Status.Conditions.Single();
        return (condition.Type, condition.Reason);
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
