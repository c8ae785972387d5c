using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Kubelet;

namespace Keelson.Sandbox.Tests.Kubelet;

public class NodeLeaseHeartbeatTests
{
    [Fact]
    public void Every_node_has_a_lease_it_holds_in_kube_node_lease_owned_by_the_node()
    {
        var cluster = Small.Cluster();
        cluster.Engine.Settle();

        var ns = cluster.Engine.Store.Get<V1Namespace>(null, NodeLeaseHeartbeat.Namespace);
        Assert.NotNull(ns);
        var nodes = cluster.Engine.Store.List<V1Node>().ToList();
        var leases = cluster.Engine.Store.List<V1Lease>(NodeLeaseHeartbeat.Namespace).ToList();
        Assert.Equal(nodes.Select(n => n.Metadata.Name), leases.Select(l => l.Metadata.Name));
        Assert.All(leases, lease =>
        {
            var node = nodes.Single(n => n.Metadata.Name == lease.Metadata.Name);
            Assert.Equal(node.Metadata.Name, lease.Spec.HolderIdentity);
            Assert.Equal(40, lease.Spec.LeaseDurationSeconds);
            Assert.Equal(cluster.Engine.Clock.UtcDateTime, lease.Spec.RenewTime);
            var owner = Assert.Single(lease.Metadata.OwnerReferences);
            Assert.Equal(("Node", node.Metadata.Uid), (owner.Kind, owner.Uid));
        });
    }

    [Fact]
    public void Leases_are_renewed_every_ten_seconds_of_virtual_time_and_not_more_often()
    {
        var cluster = Small.Cluster();
        cluster.Engine.Settle();
        var start = cluster.Engine.Clock.UtcDateTime;
        var node = cluster.Engine.Store.List<V1Node>().First().Metadata.Name;
        string Version() => cluster.Engine.Store.Get<V1Lease>(NodeLeaseHeartbeat.Namespace, node)!.Metadata.ResourceVersion;

        var before = Version();
        cluster.Engine.Advance(TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(1));
        Assert.Equal(before, Version());

        cluster.Engine.Advance(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        Assert.NotEqual(before, Version());
        Assert.Equal(start.AddSeconds(10), cluster.Engine.Store.Get<V1Lease>(NodeLeaseHeartbeat.Namespace, node)!.Spec.RenewTime);

        cluster.Engine.Advance(TimeSpan.FromSeconds(35), TimeSpan.FromSeconds(1));
        Assert.Equal(start.AddSeconds(40), cluster.Engine.Store.Get<V1Lease>(NodeLeaseHeartbeat.Namespace, node)!.Spec.RenewTime);
    }

    [Fact]
    public void A_lost_node_stops_renewing_and_its_lease_goes_with_the_node()
    {
        var cluster = Small.Cluster();
        cluster.Engine.Settle();
        var victim = cluster.Engine.Store.List<V1Node>().First().Metadata.Name;
        var lostAt = cluster.Engine.Clock.UtcDateTime;
        cluster.Engine.Context.Faults.Add(new NodeLoss(victim, cluster.Engine.Clock.GetUtcNow()));

        cluster.Engine.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(lostAt, cluster.Engine.Store.Get<V1Lease>(NodeLeaseHeartbeat.Namespace, victim)!.Spec.RenewTime);
        var other = cluster.Engine.Store.List<V1Lease>(NodeLeaseHeartbeat.Namespace).Single(l => l.Metadata.Name != victim);
        Assert.True(other.Spec.RenewTime > lostAt.AddSeconds(100));

        cluster.Engine.Advance(TimeSpan.FromMinutes(6));
        Assert.Null(cluster.Engine.Store.Get<V1Node>(null, victim));
        Assert.Null(cluster.Engine.Store.Get<V1Lease>(NodeLeaseHeartbeat.Namespace, victim));
    }
}
