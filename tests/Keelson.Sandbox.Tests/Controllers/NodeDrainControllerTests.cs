using k8s.Models;
using Keelson.Sandbox.Engine;

namespace Keelson.Sandbox.Tests.Controllers;

public class NodeDrainControllerTests
{
    [Fact]
    public void Drain_evicts_through_the_disruption_budget_and_never_drops_below_it()
    {
        // Three pods on general-000 (pinned by hostname), a budget of minAvailable 2: one eviction at a time,
        // each after the previous replacement is ready on the other node.
        var cluster = Small.Cluster();
        var web = Small.Deployment("web", 3);
        web.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["kubernetes.io/hostname"] = "general-000" };
        cluster.Apply(web);
        cluster.Apply(new V1PodDisruptionBudget
        {
            ApiVersion = "policy/v1",
            Kind = "PodDisruptionBudget",
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = Small.Ns },
            Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 2, Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } } },
        });
        cluster.Engine.Advance(TimeSpan.FromMinutes(1));
        Assert.All(Small.Pods(cluster, "web"), p => Assert.Equal("general-000", p.Spec.NodeName));

        // Let the replacements land on the other node.
        cluster.Apply(Small.Deployment("web", 3));
        cluster.Engine.Advance(TimeSpan.FromMinutes(1));
        var onFirst = Small.Pods(cluster, "web").Count(p => p.Spec.NodeName == "general-000");
        Assert.True(cluster.Drain("general-000"));

        var lowest = int.MaxValue;
        for (var second = 0; second < 120; second++)
        {
            cluster.Engine.Advance(TimeSpan.FromSeconds(1));
            lowest = Math.Min(lowest, Small.Pods(cluster, "web").Count(p => Pods.IsReady(p) && p.Metadata.DeletionTimestamp is null));
        }

        Assert.True(lowest >= 2, $"ready pods fell to {lowest}");
        var node = cluster.Engine.Store.Get<V1Node>(null, "general-000")!;
        Assert.True(node.Spec.Unschedulable);
        Assert.DoesNotContain(Small.Pods(cluster, "web"), p => p.Spec.NodeName == "general-000");
        Assert.Equal(3, Small.Pods(cluster, "web").Count(Pods.IsReady));
        Assert.True(onFirst > 0);
        Assert.False(cluster.Drain("no-such-node"));
    }

    [Fact]
    public void A_budget_that_allows_nothing_blocks_the_drain()
    {
        var cluster = Small.Cluster();
        cluster.Apply(Small.Deployment("solo", 1));
        cluster.Apply(new V1PodDisruptionBudget
        {
            ApiVersion = "policy/v1",
            Kind = "PodDisruptionBudget",
            Metadata = new V1ObjectMeta { Name = "solo", NamespaceProperty = Small.Ns },
            Spec = new V1PodDisruptionBudgetSpec { MinAvailable = 1, Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "solo" } } },
        });
        cluster.Engine.Advance(TimeSpan.FromMinutes(1));
        var pod = Assert.Single(Small.Pods(cluster, "solo"));

        cluster.Drain(pod.Spec.NodeName);
        cluster.Engine.Advance(TimeSpan.FromMinutes(5));

        var still = Assert.Single(Small.Pods(cluster, "solo"));
        Assert.Equal(pod.Metadata.Name, still.Metadata.Name);
        Assert.Equal(0, cluster.Engine.Store.Get<V1PodDisruptionBudget>(Small.Ns, "solo")!.Status.DisruptionsAllowed);
    }
}
