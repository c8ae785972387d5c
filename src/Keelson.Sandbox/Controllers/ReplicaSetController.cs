using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Fields;
using Keelson.Sandbox.Store;

namespace Keelson.Sandbox.Controllers;

/// <summary>Keeps each ReplicaSet's pod count at its replicas and reports ready and available pods.</summary>
public sealed class ReplicaSetController : IController
{
    /// <inheritdoc/>
    public void Reconcile(SandboxContext context)
    {
        foreach (var rs in context.Store.List<V1ReplicaSet>().ToList())
        {
            var owned = context.Store.OwnedBy<V1Pod>(rs).ToList();
            foreach (var finished in owned.Where(p => p.Status?.Phase is "Failed" or "Succeeded"))
            {
                // Evicted and crashed-out pods are replaced; the pod garbage collector would remove them later.
                context.Store.Delete(StoreKey.Of(finished));
            }

            var active = owned.Where(Pods.IsActive).ToList();
            var want = rs.Spec.Replicas ?? 1;
            if (active.Count < want)
            {
                for (var i = active.Count; i < want; i++)
                {
                    var pod = Pods.FromTemplate(rs.Spec.Template, context.FreeName<V1Pod>(rs.Metadata.NamespaceProperty, rs.Metadata.Name), rs.Metadata.NamespaceProperty, rs);
                    context.CreateAs(pod, ComponentWrites.ControllerManager);
                    active.Add(pod);
                }
            }
            else if (active.Count > want)
            {
                foreach (var pod in Pods.ScaleDownOrder(active).Take(active.Count - want).ToList())
                {
                    Pods.Terminate(context, pod);
                    active.Remove(pod);
                }
            }

            var ready = active.Count(Pods.IsReady);
            var available = active.Count(p => Pods.IsAvailable(p, rs.Spec.MinReadySeconds ?? 0, context.Now));
            var status = rs.Status;
            if (status is null || status.Replicas != active.Count || status.ReadyReplicas != ready || status.AvailableReplicas != available
                || status.ObservedGeneration != rs.Metadata.Generation)
            {
                rs.Status = new V1ReplicaSetStatus
                {
                    Replicas = active.Count,
                    FullyLabeledReplicas = active.Count,
                    ReadyReplicas = ready,
                    AvailableReplicas = available,
                    ObservedGeneration = rs.Metadata.Generation,
                };
                context.WriteStatus(rs, ComponentWrites.ControllerManager);
            }
        }
    }
}
