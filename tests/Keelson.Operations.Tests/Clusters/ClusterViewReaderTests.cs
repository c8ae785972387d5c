using k8s.Models;
using Keelson.Operations.Clusters;
using Keelson.Rendering.Objects;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;
using Keelson.Spec.Profiles;

namespace Keelson.Operations.Tests.Clusters;

/// <summary>The view read through <c>ICluster</c> from a real in-process sandbox with two tenants, compared with its store.</summary>
public sealed class ClusterViewReaderTests
{
    private readonly SandboxCluster cluster = new(new SandboxEngine(ClusterProfiles.Get("aws-gpu")));

    public ClusterViewReaderTests()
    {
        foreach (var tenant in new[] { "alpha", "beta" })
        {
            cluster.Apply(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = tenant, Labels = new Dictionary<string, string> { [Labels.Tenant] = tenant } } });
            cluster.Apply(Pod(tenant, $"{tenant}-web", "500m"));
            cluster.Apply(new V2HorizontalPodAutoscaler
            {
                ApiVersion = "autoscaling/v2", Kind = "HorizontalPodAutoscaler",
                Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = tenant },
                Spec = new V2HorizontalPodAutoscalerSpec
                {
                    ScaleTargetRef = new V2CrossVersionObjectReference { ApiVersion = "apps/v1", Kind = "Deployment", Name = "web" },
                    MinReplicas = 2, MaxReplicas = 6,
                    Metrics = [new V2MetricSpec { Type = "Resource", Resource = new V2ResourceMetricSource { Name = "cpu", Target = new V2MetricTarget { Type = "Utilization", AverageUtilization = 70 } } }],
                },
            });
        }

        cluster.Apply(Pod("alpha", "alpha-huge", "900"));
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task Every_node_counts_the_requests_of_the_pods_bound_to_it_and_the_pending_pod_keeps_the_scheduler_s_message()
    {
        var view = await ClusterViewReader.ReadAsync("aws-gpu", "sandbox", cluster, null, 50, CancellationToken.None);
        var store = cluster.Engine.Store;
        var pods = store.List<V1Pod>().Where(p => p.Status?.Phase is not ("Succeeded" or "Failed")).ToList();

        Assert.Equal(store.List<V1Node>().Select(n => n.Metadata.Name).Order(StringComparer.Ordinal), view.Nodes.Select(n => n.Name).Order(StringComparer.Ordinal));
        Assert.Equal(pods.Count(p => p.Spec.NodeName is not null), view.Totals.PodCount);
        Assert.Equal(1000, view.Totals.Requested.MilliCpu);
        foreach (var node in view.Nodes)
        {
            Assert.Equal(pods.Where(p => p.Spec.NodeName == node.Name).Sum(p => ResourceAmounts.Requested(p.Spec).MilliCpu), node.Requested.MilliCpu);
        }

        Assert.Equal(view.Nodes.Count, view.Groups.Sum(g => g.Nodes));
        Assert.False(view.MetricsAvailable); // the in-process sandbox client serves no metrics.k8s.io
        Assert.All(view.Nodes, n => Assert.Null(n.Used));

        var stuck = Assert.Single(view.Pending);
        var condition = store.Get<V1Pod>("alpha", "alpha-huge")!.Status.Conditions.Single(c => c.Type == "PodScheduled");
        Assert.Equal(("alpha-huge", "alpha", "Unschedulable", condition.Message), (stuck.Name, stuck.Tenant, stuck.Reason, stuck.Message));
        Assert.Contains("Insufficient cpu", stuck.Message, StringComparison.Ordinal);

        var hpa = view.Autoscalers.Single(h => h.Namespace == "alpha");
        Assert.Equal(("Deployment/web", 2, 6), (hpa.Target, hpa.MinReplicas, hpa.MaxReplicas));
        Assert.Equal(new AutoscalerMetricView("cpu", "Resource", null, "70%"), Assert.Single(hpa.Metrics));
    }

    [Fact]
    public async Task A_tenant_s_view_lists_only_its_pods_and_autoscalers_but_every_node_whole()
    {
        var all = await ClusterViewReader.ReadAsync("aws-gpu", "sandbox", cluster, null, 50, CancellationToken.None);
        var beta = await ClusterViewReader.ReadAsync("aws-gpu", "sandbox", cluster, "beta", 50, CancellationToken.None);

        Assert.Equal("tenant", beta.Scope);
        Assert.Equal(all.Nodes, beta.Nodes);
        Assert.Equal(all.Totals, beta.Totals);
        Assert.Equal(["beta-web"], beta.Pods.Select(p => p.Name));
        Assert.Empty(beta.Pending);
        Assert.Equal(["beta"], beta.Autoscalers.Select(h => h.Namespace));
        Assert.Equal(2, all.Pods.Count);
    }

    [Fact]
    public async Task Autoscaler_events_are_the_scale_ups_and_downs_newest_first_and_limited()
    {
        // More than the general pool holds now: the autoscaler adds nodes.
        for (var i = 0; i < 10; i++)
        {
            cluster.Apply(Pod("beta", $"beta-batch-{i}", "3"));
        }

        cluster.Engine.Advance(TimeSpan.FromMinutes(5));
        var store = cluster.Engine.Store.List<Corev1Event>().Count(e => e.Reason is "TriggeredScaleUp" or "ScaleDown");
        Assert.True(store > 1, "the autoscaler added nodes");

        var view = await ClusterViewReader.ReadAsync("aws-gpu", "sandbox", cluster, null, 50, CancellationToken.None);
        Assert.Equal(store, view.AutoscalerEvents.Count);
        Assert.Equal(view.AutoscalerEvents.OrderByDescending(e => e.Time).Select(e => e.Time), view.AutoscalerEvents.Select(e => e.Time));
        Assert.Single(await ClusterViewReader.ReadAsync("aws-gpu", "sandbox", cluster, null, 1, CancellationToken.None) is var one ? one.AutoscalerEvents : []);
        Assert.Empty((await ClusterViewReader.ReadAsync("aws-gpu", "sandbox", cluster, null, 0, CancellationToken.None)).AutoscalerEvents);
    }

    private static V1Pod Pod(string ns, string name, string cpu) => new()
    {
        ApiVersion = "v1", Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox:1.36", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new("256Mi") } } }] },
    };
}
