using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Sandbox.Fields;

namespace Keelson.Sandbox.Tests.Fields;

public class ComponentWritesTests
{
    private static readonly DateTime T0 = new(2026, 1, 5, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_rollout_records_the_controller_manager_the_kubelet_and_no_owner_for_the_bound_condition()
    {
        var cluster = Small.Cluster();
        cluster.Apply(Small.Deployment("web", 2));
        cluster.Engine.Advance(TimeSpan.FromMinutes(2));

        var deployment = cluster.Engine.Store.Get<V1Deployment>(Small.Ns, "web")!;
        var status = Entry(deployment, ComponentWrites.ControllerManager, "status");
        Assert.Equal(("Update", "apps/v1"), (status.Operation, status.ApiVersion));
        Assert.Contains(".metadata.annotations.deployment.kubernetes.io/revision", status.Fields.ToString(), StringComparison.Ordinal);
        Assert.Contains(".status.availableReplicas", status.Fields.ToString(), StringComparison.Ordinal);
        Assert.Contains(""".status.conditions[type="Available"]""", status.Fields.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(".status", Entry(deployment, "keelson", null).Fields.ToString(), StringComparison.Ordinal);

        var rs = Assert.Single(cluster.Engine.Store.OwnedBy<V1ReplicaSet>(deployment));
        var created = Entry(rs, ComponentWrites.ControllerManager, null).Fields.ToString();
        Assert.Contains(".spec.replicas", created, StringComparison.Ordinal);
        Assert.Contains(".metadata.ownerReferences", created, StringComparison.Ordinal);
        Assert.Contains(".status.readyReplicas", Entry(rs, ComponentWrites.ControllerManager, "status").Fields.ToString(), StringComparison.Ordinal);

        var pod = cluster.Engine.Store.OwnedBy<V1Pod>(rs).First();
        Assert.Contains(".spec.containers", Entry(pod, ComponentWrites.ControllerManager, null).Fields.ToString(), StringComparison.Ordinal);
        var kubelet = Entry(pod, ComponentWrites.Kubelet, "status").Fields.ToString();
        Assert.Contains(".status.phase", kubelet, StringComparison.Ordinal);
        Assert.Contains($$""".status.podIPs[ip="{{pod.Status.PodIP}}"]""", kubelet, StringComparison.Ordinal);
        Assert.Contains(""".status.conditions[type="Ready"]""", kubelet, StringComparison.Ordinal);
        Assert.DoesNotContain(FieldManager.Decode(pod.Metadata.ManagedFields), e => e.Fields.ToString().Contains("PodScheduled", StringComparison.Ordinal));
        Assert.Equal("True", pod.Status.Conditions.Single(c => c.Type == "PodScheduled").Status);

        var node = cluster.Engine.Store.List<V1Node>().First();
        Assert.Contains(""".status.conditions[type="Ready"]""", Entry(node, ComponentWrites.Kubelet, "status").Fields.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_status_write_that_only_changes_values_keeps_the_encoded_fields_and_moves_the_time()
    {
        var rs = new V1ReplicaSet { ApiVersion = "apps/v1", Kind = "ReplicaSet", Metadata = new V1ObjectMeta { Name = "web" }, Status = new V1ReplicaSetStatus { Replicas = 1, ReadyReplicas = 0 } };
        ComponentWrites.Status(rs, ComponentWrites.ControllerManager, T0);
        var first = Assert.Single(rs.Metadata.ManagedFields);
        Assert.Equal("""{"f:status":{"f:readyReplicas":{},"f:replicas":{}}}""", JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(first.FieldsV1))!.ToJsonString());

        rs.Status.ReadyReplicas = 1;
        ComponentWrites.Status(rs, ComponentWrites.ControllerManager, T0.AddSeconds(30));
        var second = Assert.Single(rs.Metadata.ManagedFields);
        Assert.Same(first.FieldsV1, second.FieldsV1);
        Assert.Equal(T0.AddSeconds(30), second.Time);

        rs.Status.AvailableReplicas = 1;
        ComponentWrites.Status(rs, ComponentWrites.ControllerManager, T0.AddSeconds(60));
        Assert.Contains(".status.availableReplicas", FieldManager.Decode(rs.Metadata.ManagedFields).Single().Fields.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_component_leaves_status_fields_another_manager_owns_and_they_go_with_the_field()
    {
        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = "web" },
            Status = new V1DeploymentStatus
            {
                Replicas = 2,
                Conditions = [new V1DeploymentCondition { Type = "Available", Status = "True" }, new V1DeploymentCondition { Type = "Audited", Status = "True" }],
            },
        };
        var audited = FieldSet.Of([FieldPath.Of([PathElement.Field("status"), PathElement.Field("conditions"), PathElement.Key([new("type", "Audited")])]),
            FieldPath.Of([PathElement.Field("status"), PathElement.Field("conditions"), PathElement.Key([new("type", "Audited")]), PathElement.Field("status")])]);
        deployment.Metadata.ManagedFields = FieldManager.Encode([new ManagerEntry("auditor", ManagerEntry.Update, "apps/v1", "status", T0, audited)]);

        ComponentWrites.Status(deployment, ComponentWrites.ControllerManager, T0.AddSeconds(1));
        var entries = FieldManager.Decode(deployment.Metadata.ManagedFields);
        Assert.Equal(audited.ToString(), entries.Single(e => e.Manager == "auditor").Fields.ToString());
        var controller = entries.Single(e => e.Manager == ComponentWrites.ControllerManager).Fields.ToString();
        Assert.Contains(""".status.conditions[type="Available"]""", controller, StringComparison.Ordinal);
        Assert.DoesNotContain("Audited", controller, StringComparison.Ordinal);

        deployment.Status.Conditions = [deployment.Status.Conditions[0]];
        ComponentWrites.Status(deployment, ComponentWrites.ControllerManager, T0.AddSeconds(2));
        Assert.Equal([ComponentWrites.ControllerManager], FieldManager.Decode(deployment.Metadata.ManagedFields).Select(e => e.Manager));
    }

    [Fact]
    public void A_changed_field_is_taken_from_its_owner_and_owned_by_nobody_once_removed()
    {
        var node = new V1Node
        {
            ApiVersion = "v1",
            Kind = "Node",
            Metadata = new V1ObjectMeta { Name = "n1", Labels = new Dictionary<string, string> { ["pool"] = "general" } },
            Spec = new V1NodeSpec { Taints = [new V1Taint { Key = "a", Effect = "NoSchedule" }] },
        };
        ComponentWrites.Created(node, ComponentWrites.Kubelet, T0);
        Assert.Contains(".spec.taints", FieldManager.Decode(node.Metadata.ManagedFields).Single().Fields.ToString(), StringComparison.Ordinal);

        ComponentWrites.Changed(node, ComponentWrites.ControllerManager, T0.AddSeconds(1), FieldPath.Of("spec", "taints"));
        var entries = FieldManager.Decode(node.Metadata.ManagedFields);
        Assert.Equal(".spec.taints", entries.Single(e => e.Manager == ComponentWrites.ControllerManager).Fields.ToString());
        Assert.DoesNotContain(".spec.taints", entries.Single(e => e.Manager == ComponentWrites.Kubelet).Fields.ToString(), StringComparison.Ordinal);

        node.Spec.Taints = null;
        ComponentWrites.Changed(node, ComponentWrites.ControllerManager, T0.AddSeconds(2), FieldPath.Of("spec", "taints"));
        Assert.Equal([ComponentWrites.Kubelet], FieldManager.Decode(node.Metadata.ManagedFields).Select(e => e.Manager));
    }

    private static ManagerEntry Entry(k8s.IKubernetesObject<V1ObjectMeta> resource, string manager, string? subresource) =>
        Assert.Single(FieldManager.Decode(resource.Metadata.ManagedFields), e => e.Manager == manager && e.Subresource == subresource);
}
