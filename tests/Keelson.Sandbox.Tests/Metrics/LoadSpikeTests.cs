using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Metrics;

namespace Keelson.Sandbox.Tests.Metrics;

public sealed class LoadSpikeTests
{
    [Fact]
    public void A_spike_multiplies_the_demand_the_hpa_scales_out_to_its_max_and_everything_returns_after_it()
    {
        var cluster = Autoscaled(max: 5);
        cluster.Engine.Advance(TimeSpan.FromMinutes(3));
        var context = cluster.Engine.Context;
        Assert.Equal(50, Utilisation(context), 6);
        Assert.Equal(2, Replicas(cluster));

        var spike = LoadSpikes.Start(context, Small.Ns, 3, TimeSpan.FromMinutes(10));
        Assert.Equal(500, spike.BaselineMillis["api"], 6);
        Assert.Same(spike, LoadSpikes.Active(context, Small.Ns));

        // The same two pods now carry three times the demand.
        Assert.Equal(150, Utilisation(context), 6);

        // 1500 m at a 50 % target wants six pods; the HPA stops at its max, and the fixed demand spreads over them.
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(5, Replicas(cluster));
        Assert.Equal(5, UsageModel.Pods(context).Count(p => p.Workload == "api" && p.Utilisation > UsageModel.IdleShare / 2));
        Assert.Equal(60, Utilisation(context), 6);

        cluster.Engine.Advance(TimeSpan.FromMinutes(9));
        Assert.Null(LoadSpikes.Active(context, Small.Ns));

        // Back to the starting 500 m: over five pods at first, then the HPA scales in after its stabilisation window.
        cluster.Engine.Advance(TimeSpan.FromMinutes(8));
        Assert.Equal(2, Replicas(cluster));
        Assert.Equal(50, Utilisation(context), 6);
    }

    [Fact]
    public void Ending_a_spike_early_restores_the_starting_demand_and_a_new_spike_starts_from_it()
    {
        var cluster = Autoscaled(max: 3);
        cluster.Apply(Small.Deployment("worker", 1, cpu: "1"));
        cluster.Engine.Advance(TimeSpan.FromMinutes(3));
        var context = cluster.Engine.Context;

        var first = LoadSpikes.Start(context, Small.Ns, 2, TimeSpan.FromHours(1));
        Assert.Equal(1000 * UsageModel.IdleShare, first.BaselineMillis["worker"], 6);
        Assert.Equal(600, UsageModel.Pods(context).Single(p => p.Workload == "worker").CpuMillis, 6);
        cluster.Engine.Advance(TimeSpan.FromMinutes(1));

        Assert.True(LoadSpikes.End(context, Small.Ns));
        Assert.False(LoadSpikes.End(context, Small.Ns));
        Assert.Null(LoadSpikes.Active(context, Small.Ns));
        Assert.Equal(300, UsageModel.Pods(context).Single(p => p.Workload == "worker").CpuMillis, 6);
        Assert.Equal(500, UsageModel.Pods(context).Where(p => p.Workload == "api").Sum(p => p.CpuMillis), 6);

        var second = LoadSpikes.Start(context, Small.Ns, 3, TimeSpan.FromMinutes(5));
        Assert.Equal(first.BaselineMillis, second.BaselineMillis);
        Assert.Equal(900, UsageModel.Pods(context).Single(p => p.Workload == "worker").CpuMillis, 6);
    }

    // Two 500 m pods of "api" allowed up to 2 cores each, so a spike shows above the request; an HPA at 50 %.
    private static SandboxCluster Autoscaled(int max)
    {
        var cluster = Small.Cluster();
        var deployment = Small.Deployment("api", 2, cpu: "500m");
        deployment.Spec.Template.Spec.Containers[0].Resources.Limits["cpu"] = new ResourceQuantity("2");
        cluster.Apply(deployment);
        cluster.Apply(Hpa("api", max, target: 50));
        return cluster;
    }

    private static double Utilisation(SandboxContext context) =>
        NamespaceUsage.Read(context)[Small.Ns].Single(r => r.Name == "cpu_usage_percent").Value;

    private static int? Replicas(SandboxCluster cluster) => cluster.Engine.Store.Get<V1Deployment>(Small.Ns, "api")!.Spec.Replicas;

    private static V2HorizontalPodAutoscaler Hpa(string name, int max, int target) => new()
    {
        ApiVersion = "autoscaling/v2",
        Kind = "HorizontalPodAutoscaler",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Small.Ns },
        Spec = new V2HorizontalPodAutoscalerSpec
        {
            MinReplicas = 1,
            MaxReplicas = max,
            ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = name },
            Metrics = [new V2MetricSpec { Type = "Resource", Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = target } } }],
        },
    };
}
