using k8s.Models;

namespace Keelson.Sandbox.Tests;

public sealed class SandboxEngineClockTests
{
    [Fact]
    public void Catching_up_moves_a_clock_that_is_behind_and_lets_pods_start()
    {
        var cluster = Small.Cluster();
        cluster.Apply(Small.Deployment("web", 1));
        var later = cluster.Engine.Clock.GetUtcNow().AddDays(30);

        cluster.Engine.CatchUpTo(later);

        Assert.Equal(later, cluster.Engine.Clock.GetUtcNow());
        Assert.All(Small.Pods(cluster, "web"), p => Assert.Equal("Running", p.Status.Phase));
    }

    [Fact]
    public void Catching_up_never_moves_the_clock_back()
    {
        var cluster = Small.Cluster();
        var now = cluster.Engine.Clock.GetUtcNow();
        cluster.Engine.CatchUpTo(now.AddHours(-1));
        Assert.Equal(now, cluster.Engine.Clock.GetUtcNow());
    }

    [Fact]
    public void A_deployment_carries_its_current_revision_and_keeps_it_through_an_apply()
    {
        var cluster = Small.Cluster();
        cluster.Apply(Small.Deployment("web", 1));
        Assert.Equal("1", cluster.Engine.Store.Get<V1Deployment>(Small.Ns, "web")!.Metadata.Annotations["deployment.kubernetes.io/revision"]);

        cluster.Apply(Small.Deployment("web", 1, image: "shop/app:2"));

        Assert.Equal("2", cluster.Engine.Store.Get<V1Deployment>(Small.Ns, "web")!.Metadata.Annotations["deployment.kubernetes.io/revision"]);
    }
}
