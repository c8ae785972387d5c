using k8s.Models;
using Keelson.Sandbox.Controllers;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Fields;

namespace Keelson.Sandbox.Kubelet;

/// <summary>
/// The kubelet's heartbeat: one <c>coordination.k8s.io/v1</c> Lease per node in <c>kube-node-lease</c>, named after
/// the node and owned by it (so it goes with the node), renewed every quarter of its 40 s duration on the virtual
/// clock. A lost node's kubelet stops renewing, so its lease's <c>renewTime</c> falls behind as on a real cluster.
/// The kubelet also posts its node status, unchanged, every <c>nodeStatusReportFrequency</c> (5 min), which moves each
/// condition's <c>lastHeartbeatTime</c> (and only that: <c>lastTransitionTime</c> stays); a new node's conditions get
/// theirs at once.
/// </summary>
public sealed class NodeLeaseHeartbeat : IController
{
    /// <summary>The namespace node leases live in.</summary>
    public const string Namespace = "kube-node-lease";

    /// <summary>The kubelet's default <c>nodeLeaseDurationSeconds</c>.</summary>
    public const int DurationSeconds = 40;

    // The kubelet renews at a quarter of the lease duration.
    private static readonly TimeSpan RenewInterval = TimeSpan.FromSeconds(DurationSeconds / 4.0);

    /// <summary>The kubelet's default <c>nodeStatusReportFrequency</c>: how often it posts a status that did not change.</summary>
    public static readonly TimeSpan StatusReportInterval = TimeSpan.FromMinutes(5);

    /// <inheritdoc/>
    public void Reconcile(SandboxContext context)
    {
        var nodes = context.Store.List<V1Node>().Where(n => !NodeLifecycleController.IsUnreachable(n)).ToList();
        if (nodes.Count == 0 || !EnsureNamespace(context))
        {
            return;
        }

        var now = context.Now;
        foreach (var node in nodes)
        {
            var lease = context.Store.Get<V1Lease>(Namespace, node.Metadata.Name);
            if (lease is null)
            {
                context.CreateAs(NewLease(node, now), ComponentWrites.Kubelet);
            }
            else if (lease.Spec.RenewTime is not { } renewed || now - renewed >= RenewInterval)
            {
                lease.Spec.HolderIdentity = node.Metadata.Name;
                lease.Spec.LeaseDurationSeconds = DurationSeconds;
                lease.Spec.RenewTime = now;
                context.WriteFields(lease, ComponentWrites.Kubelet, specChanged: false, FieldPath.Of("spec", "renewTime"));
            }

            if (node.Status?.Conditions is { Count: > 0 } conditions
                && conditions.Any(c => c.LastHeartbeatTime is not { } beat || now - beat >= StatusReportInterval))
            {
                foreach (var condition in conditions)
                {
                    condition.LastHeartbeatTime = now;
                }

                context.WriteStatus(node, ComponentWrites.Kubelet);
            }
        }
    }

    // The API server creates kube-node-lease at start-up; a namespace being deleted is left to finish, then made again.
    private static bool EnsureNamespace(SandboxContext context)
    {
        if (context.Store.Get<V1Namespace>(null, Namespace) is { } existing)
        {
            return existing.Metadata.DeletionTimestamp is null;
        }

        context.Store.Create(new V1Namespace
        {
            ApiVersion = "v1",
            Kind = "Namespace",
            Metadata = new V1ObjectMeta { Name = Namespace, Labels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = Namespace } },
            Spec = new V1NamespaceSpec { Finalizers = [NamespaceController.Finalizer] },
            Status = new V1NamespaceStatus { Phase = "Active" },
        });
        return true;
    }

    private static V1Lease NewLease(V1Node node, DateTime now) => new()
    {
        ApiVersion = "coordination.k8s.io/v1",
        Kind = "Lease",
        Metadata = new V1ObjectMeta
        {
            Name = node.Metadata.Name,
            NamespaceProperty = Namespace,
            OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Node", Name = node.Metadata.Name, Uid = node.Metadata.Uid }],
        },
        Spec = new V1LeaseSpec { HolderIdentity = node.Metadata.Name, LeaseDurationSeconds = DurationSeconds, RenewTime = now },
    };
}
