using k8s.Models;
using Keelson.Sandbox.Controllers;
using Keelson.Sandbox.Engine;

namespace Keelson.Sandbox.Tests.Controllers;

public class HorizontalPodAutoscalerControllerTests
{
    // Hand-computed: utilisation = demand / ready / request; desired = ceil(current × utilisation / target).
    [Theory]
    [InlineData(4, 4, 1800, 500, 60, 6, 90)] // 1800/4/500 = 90 % → ratio 1.5 → ceil(4 × 1.5) = 6
    [InlineData(4, 4, 1300, 500, 60, 4, 65)] // 65 % → ratio 1.083, inside the 10 % tolerance → 4
    [InlineData(4, 4, 1060, 500, 60, 4, 53)] // 53 % → ratio 0.883, outside the tolerance, yet ceil(4 × 0.883) = 4
    [InlineData(10, 10, 1000, 500, 50, 4, 20)] // 20 % → ratio 0.4 → ceil(10 × 0.4) = 4
    [InlineData(6, 4, 2400, 500, 60, 8, 120)] // 120 % on 4 ready; the 2 unready count as idle: 2400/6/500 = 80 % → ratio 1.333 → ceil(6 × 1.333) = 8
    [InlineData(3, 3, 9000, 1000, 50, 12, 200)] // 3000 m per pod, but a pod cannot use more than its 2000 m limit: 200 % → ratio 4 → 12
    public void Desired_replicas_follow_the_kubernetes_formula(int current, int ready, double demand, long request, int target, int expected, int utilisation)
    {
        var limit = request * 2;
        var (desired, seen) = HorizontalPodAutoscalerController.Desired(current, ready, demand, request, limit, target, 0.1);
        Assert.Equal(utilisation, seen);
        Assert.Equal(expected, desired);
    }

    [Fact]
    public void No_ready_pods_means_no_measurement_and_no_change()
    {
        var (desired, seen) = HorizontalPodAutoscalerController.Desired(5, 0, 10_000, 500, 50, 500, 0.1);
        Assert.Equal((5, (int?)null), (desired, seen));
    }

    [Fact]
    public void Scales_up_at_once_and_down_only_after_the_stabilisation_window()
    {
        var load = new StepLoad();
        var cluster = Small.Cluster(Small.Profile(generalMin: 4, generalMax: 4), load);
        cluster.Apply(Small.Deployment("api", 4, cpu: "500m"));
        cluster.Apply(Hpa("api", min: 2, max: 12, target: 50));
        load.Millis = 1000; // 4 × 500 m × 50 %: exactly at target
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(4, Replicas(cluster));

        load.Millis = 2000; // 100 % → ratio 2 → 8 (within the max(100 %, 4 pods) step)
        cluster.Engine.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(8, Replicas(cluster));
        cluster.Engine.Advance(TimeSpan.FromMinutes(1));
        var hpa = cluster.Engine.Store.Get<V2HorizontalPodAutoscaler>(Small.Ns, "api")!;
        Assert.Equal(50, hpa.Status.CurrentMetrics.Single().Resource.Current.AverageUtilization);

        load.Millis = 500; // 500/8/500 = 12.5 % → ratio 0.25 → 2 = min; held by the 300 s window
        var dropped = cluster.Engine.Clock.GetUtcNow();
        cluster.Engine.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(8, Replicas(cluster));
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(2, Replicas(cluster));
        Assert.True(cluster.Engine.Clock.GetUtcNow() - dropped >= TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void Clamps_to_max_and_says_so()
    {
        var load = new StepLoad { Millis = 20_000 };
        var cluster = Small.Cluster(Small.Profile(generalMin: 5, generalMax: 5), load);
        cluster.Apply(Small.Deployment("api", 2, cpu: "500m"));
        cluster.Apply(Hpa("api", min: 2, max: 5, target: 50));
        cluster.Engine.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(5, Replicas(cluster));
        var condition = cluster.Engine.Store.Get<V2HorizontalPodAutoscaler>(Small.Ns, "api")!.Status.Conditions.Single();
        Assert.Equal(("ScalingLimited", "TooManyReplicas"), (condition.Type, condition.Reason));
    }

    private static int Replicas(SandboxCluster cluster) => cluster.Engine.Store.Get<V1Deployment>(Small.Ns, "api")!.Spec.Replicas!.Value;

    private static V2HorizontalPodAutoscaler Hpa(string name, int min, int max, int target) => new()
    {
        ApiVersion = "autoscaling/v2",
        Kind = "HorizontalPodAutoscaler",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Small.Ns },
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            MinReplicas = min,
            MaxReplicas = max,
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = name },
            Metrics = [new V2MetricSpec { Type = "Resource", Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = target } } }],
        },
    };

    private sealed class StepLoad : ILoadModel
    {
        public double Millis { get; set; }

        public double? CpuDemandMillis(string ns, string workload, DateTimeOffset at) => Millis;
    }
}
