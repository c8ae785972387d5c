using k8s.Models;
using Keelson.Sandbox.Controllers;

namespace Keelson.Sandbox.Tests.Controllers;

public sealed class NamespaceControllerTests
{
    [Fact]
    public void Every_namespace_gets_a_default_service_account()
    {
        var cluster = Small.Cluster();
        Assert.NotNull(cluster.Engine.Store.Get<V1ServiceAccount>(Small.Ns, "default"));
    }

    [Fact]
    public void A_namespace_marked_for_deletion_stays_Terminating_until_its_pods_have_stopped()
    {
        var cluster = Small.Cluster();
        cluster.Apply(Small.Deployment("web", 2));
        cluster.Engine.Advance(TimeSpan.FromSeconds(30));
        var bare = new V1Pod { ApiVersion = "v1", Kind = "Pod", Metadata = new V1ObjectMeta { Name = "bare", NamespaceProperty = Small.Ns }, Spec = Small.Template("bare").Spec };
        cluster.Apply(bare);
        cluster.Engine.Advance(TimeSpan.FromSeconds(30));

        Assert.True(NamespaceController.MarkForDeletion(cluster.Engine.Context, Small.Ns));
        cluster.Engine.Settle();

        var ns = cluster.Engine.Store.Get<V1Namespace>(null, Small.Ns);
        Assert.Equal("Terminating", ns!.Status.Phase);
        Assert.Null(cluster.Engine.Store.Get<V1Deployment>(Small.Ns, "web"));
        Assert.NotNull(cluster.Engine.Store.Get<V1Pod>(Small.Ns, "bare")!.Metadata.DeletionTimestamp);
        Assert.Throws<NamespaceTerminatingException>(() => cluster.Apply(new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "late", NamespaceProperty = Small.Ns } }));

        cluster.Engine.Advance(TimeSpan.FromSeconds(40));

        Assert.Null(cluster.Engine.Store.Get<V1Namespace>(null, Small.Ns));
    }
}
