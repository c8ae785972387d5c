using k8s.Models;
using Keelson.Sandbox.Engine;

namespace Keelson.Sandbox.Tests.Controllers;

public class DeploymentControllerTests
{
    [Fact]
    public void Image_change_rolls_without_dropping_below_max_unavailable_or_going_over_max_surge()
    {
        var cluster = Small.Cluster();
        cluster.Apply(Small.Deployment("web", 4, maxSurge: 1, maxUnavailable: 1));
        cluster.Engine.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(4, Small.Pods(cluster, "web").Count(Pods.IsReady));

        cluster.Apply(Small.Deployment("web", 4, image: "shop/app:2", maxSurge: 1, maxUnavailable: 1));
        var lowestReady = int.MaxValue;
        var mostPods = 0;
        for (var second = 0; second < 120; second++)
        {
            cluster.Engine.Advance(TimeSpan.FromSeconds(1));
            var pods = cluster.Engine.Store.List<V1Pod>(Small.Ns).Where(p => p.Metadata.Name.StartsWith("web-", StringComparison.Ordinal)).ToList();
            lowestReady = Math.Min(lowestReady, pods.Count(p => Pods.IsReady(p) && p.Metadata.DeletionTimestamp is null));
            mostPods = Math.Max(mostPods, pods.Count(p => p.Metadata.DeletionTimestamp is null));
        }

        Assert.Equal(3, lowestReady);
        Assert.Equal(5, mostPods);
        var final = Small.Pods(cluster, "web");
        Assert.Equal(4, final.Count);
        Assert.All(final, p => Assert.Equal("shop/app:2", p.Spec.Containers[0].Image));
        var deployment = cluster.Engine.Store.Get<V1Deployment>(Small.Ns, "web")!;
        Assert.Equal((4, 4, 4), (deployment.Status.UpdatedReplicas, deployment.Status.AvailableReplicas, deployment.Status.Replicas));
        Assert.Equal(2, cluster.Engine.Store.List<V1ReplicaSet>(Small.Ns).Count());
    }

    [Fact]
    public void A_pod_that_fits_nowhere_stays_pending_with_the_schedulers_reason()
    {
        var cluster = Small.Cluster();
        cluster.Apply(Small.Deployment("huge", 1, cpu: "64"));
        cluster.Engine.Advance(TimeSpan.FromMinutes(5));

        var pod = Assert.Single(Small.Pods(cluster, "huge"));
        Assert.Null(pod.Spec.NodeName);
        var scheduled = Assert.Single(pod.Status.Conditions, c => c.Type == "PodScheduled");
        Assert.Equal(("False", "Unschedulable"), (scheduled.Status, scheduled.Reason));
        Assert.Contains("Insufficient cpu", scheduled.Message, StringComparison.Ordinal);
        Assert.StartsWith("0/2 nodes are available", scheduled.Message, StringComparison.Ordinal);
        Assert.Equal(2, cluster.Engine.Store.List<V1Node>().Count());
    }

    [Fact]
    public void Pods_of_a_lost_node_are_recreated_on_other_nodes()
    {
        var cluster = Small.Cluster();
        cluster.Apply(Small.Deployment("web", 4));
        cluster.Engine.Advance(TimeSpan.FromMinutes(1));
        var victim = Small.Pods(cluster, "web").GroupBy(p => p.Spec.NodeName).OrderByDescending(g => g.Count()).First().Key;
        var lostPods = Small.Pods(cluster, "web").Where(p => p.Spec.NodeName == victim).Select(p => p.Metadata.Name).ToList();

        cluster.Engine.Context.Faults.Add(new NodeLoss(victim, cluster.Engine.Clock.GetUtcNow()));
        cluster.Engine.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal("Unknown", cluster.Engine.Store.Get<V1Node>(null, victim)!.Status.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Equal(4, Small.Pods(cluster, "web").Count);

        cluster.Engine.Advance(TimeSpan.FromMinutes(5));
        var pods = Small.Pods(cluster, "web");
        Assert.Equal(4, pods.Count(Pods.IsReady));
        Assert.DoesNotContain(pods, p => p.Spec.NodeName == victim || lostPods.Contains(p.Metadata.Name));
        Assert.Null(cluster.Engine.Store.Get<V1Node>(null, victim));
        Assert.Equal(2, cluster.Engine.Store.List<V1Node>().Count(n => n.Status.Conditions.Any(c => c.Type == "Ready" && c.Status == "True")));
    }

    [Theory]
    [InlineData("25%", 4, true, 1)]
    [InlineData("25%", 4, false, 1)]
    [InlineData("25%", 3, true, 1)]
    [InlineData("25%", 3, false, 0)]
    [InlineData("2", 10, false, 2)]
    public void Surge_rounds_up_and_unavailability_rounds_down(string value, int replicas, bool roundUp, int expected) =>
        Assert.Equal(expected, Sandbox.Controllers.DeploymentController.Resolve(value, replicas, roundUp, 25));

    [Fact]
    public void A_paused_deployment_rolls_out_no_new_template_but_still_scales_and_resumes_the_rollout()
    {
        var cluster = Small.Cluster();
        cluster.Apply(Small.Deployment("web", 2));
        cluster.Engine.Advance(TimeSpan.FromMinutes(1));

        var paused = Small.Deployment("web", 3, image: "shop/app:2");
        paused.Spec.Paused = true;
        cluster.Apply(paused);
        cluster.Engine.Advance(TimeSpan.FromMinutes(1));
        var pods = Small.Pods(cluster, "web");
        Assert.Equal(3, pods.Count(Pods.IsReady));
        Assert.All(pods, p => Assert.Equal("shop/app:1", p.Spec.Containers[0].Image));
        Assert.Single(cluster.Engine.Store.List<V1ReplicaSet>(Small.Ns));
        var progressing = cluster.Engine.Store.Get<V1Deployment>(Small.Ns, "web")!.Status.Conditions.Single(c => c.Type == "Progressing");
        Assert.Equal(("Unknown", "DeploymentPaused", "Deployment is paused"), (progressing.Status, progressing.Reason, progressing.Message));

        cluster.Apply(Small.Deployment("web", 3, image: "shop/app:2"));
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));
        var rolled = Small.Pods(cluster, "web");
        Assert.Equal(3, rolled.Count(Pods.IsReady));
        Assert.All(rolled, p => Assert.Equal("shop/app:2", p.Spec.Containers[0].Image));
        progressing = cluster.Engine.Store.Get<V1Deployment>(Small.Ns, "web")!.Status.Conditions.Single(c => c.Type == "Progressing");
        Assert.Equal(("True", "NewReplicaSetAvailable"), (progressing.Status, progressing.Reason));
    }

    [Fact]
    public void A_dry_run_apply_returns_the_would_be_object_and_changes_no_version_or_pod()
    {
        var cluster = Small.Cluster();
        cluster.Apply(Small.Deployment("web", 2));
        cluster.Engine.Advance(TimeSpan.FromMinutes(1));
        var version = cluster.Engine.Store.ResourceVersion;

        var updated = (V1Deployment)cluster.Apply(Small.Deployment("web", 5), dryRun: true);
        var created = cluster.Apply(Small.Deployment("api", 1), dryRun: true);
        Assert.Equal(5, updated.Spec.Replicas);
        Assert.Equal(2, updated.Metadata.Generation);
        Assert.Null(created.Metadata.ResourceVersion);
        Assert.NotNull(created.Metadata.Uid);
        Assert.Equal(version, cluster.Engine.Store.ResourceVersion);
        cluster.Engine.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, Small.Pods(cluster, "web").Count);
        Assert.Empty(Small.Pods(cluster, "api"));
    }
}
