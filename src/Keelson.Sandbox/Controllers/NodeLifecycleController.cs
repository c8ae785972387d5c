using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Fields;
using Keelson.Sandbox.Store;

namespace Keelson.Sandbox.Controllers;

/// <summary>
/// Lost nodes, as the node lifecycle controller sees them: silent at once, NotReady (Unknown) with the
/// <c>unreachable</c> NoExecute taint after the grace period, and after the default 300 s toleration their pods are
/// evicted and the instance is gone — the pods' controllers then recreate them elsewhere.
/// </summary>
public sealed class NodeLifecycleController : IController
{
    /// <summary>Annotation marking a node whose kubelet has stopped (set when an injected loss happens).</summary>
    public const string LostAnnotation = "sandbox.keelson.dev/lost-at";

    /// <summary>The taint the node lifecycle controller puts on unreachable nodes.</summary>
    public const string UnreachableTaint = "node.kubernetes.io/unreachable";

    /// <summary>Whether the node's kubelet has stopped.</summary>
    public static bool IsUnreachable(V1Node node) => node.Metadata.Annotations?.ContainsKey(LostAnnotation) == true;

    /// <inheritdoc/>
    public void Reconcile(SandboxContext context)
    {
        foreach (var loss in context.Faults.OfType<NodeLoss>().Where(f => f.At <= context.Clock.GetUtcNow()).ToList())
        {
            if (context.Store.Get<V1Node>(null, loss.NodeName) is not { } node)
            {
                continue;
            }

            var now = context.Now;
            if (!IsUnreachable(node))
            {
                node.Metadata.Annotations ??= new Dictionary<string, string>();
                node.Metadata.Annotations[LostAnnotation] = loss.At.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
                context.Store.Update(node);
                context.Event(node.Metadata, "Node", "Warning", "NodeLost", "the node's kubelet stopped posting status (injected)");
            }

            var lostAt = loss.At.UtcDateTime;
            if (now >= lostAt + context.Options.NodeMonitorGrace && node.Spec.Taints?.Any(t => t.Key == UnreachableTaint) != true)
            {
                node.Spec.Taints = [.. node.Spec.Taints ?? [], new V1Taint { Key = UnreachableTaint, Effect = "NoExecute", TimeAdded = now }];
                node.Status.Conditions = [.. node.Status.Conditions.Select(c => c.Type == "Ready"
                    ? new V1NodeCondition { Type = "Ready", Status = "Unknown", Reason = "NodeStatusUnknown", Message = "Kubelet stopped posting node status.", LastTransitionTime = now, LastHeartbeatTime = c.LastHeartbeatTime }
                    : c)];

                // Upstream's node lifecycle controller taints through the node and marks the Ready condition through /status.
                ComponentWrites.Changed(node, ComponentWrites.ControllerManager, now, FieldPath.Of("spec", "taints"));
                context.WriteStatus(node, ComponentWrites.ControllerManager);
                context.Event(node.Metadata, "Node", "Normal", "NodeNotReady", $"Node {node.Metadata.Name} status is now: NodeNotReady");
            }

            if (now >= lostAt + context.Options.NodeMonitorGrace + context.Options.UnreachableEviction)
            {
                foreach (var pod in context.Store.List<V1Pod>().Where(p => p.Spec.NodeName == node.Metadata.Name).ToList())
                {
                    context.Event(pod.Metadata, "Pod", "Warning", "TaintManagerEviction", $"Marking for deletion Pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}");
                    context.Store.Delete(StoreKey.Of(pod));
                }

                context.Store.Delete(StoreKey.Of(node));

                // The instance is gone; the fault is spent and must not hit a later node of the same name.
                context.Faults.Remove(loss);
            }
        }
    }
}
