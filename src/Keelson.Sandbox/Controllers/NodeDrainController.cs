using System.Globalization;
using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Store;

namespace Keelson.Sandbox.Controllers;

/// <summary>
/// Drains cordoned nodes the way <c>kubectl drain</c> does: each pod is evicted through the disruption budgets
/// that select it, and an eviction a budget refuses is retried on a later pass, after replacements elsewhere have
/// become ready. A node the cluster autoscaler is removing is deleted once empty; a node drained by request stays,
/// cordoned.
/// </summary>
public sealed class NodeDrainController : IController
{
    /// <summary>Annotation on a node being drained: <c>remove</c> (delete it when empty) or <c>keep</c>.</summary>
    public const string DrainAnnotation = "sandbox.keelson.dev/drain";

    /// <summary>Cordons <paramref name="node"/> and starts draining it.</summary>
    public static void Start(SandboxContext context, V1Node node, bool remove, string why)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(node);
        node.Spec.Unschedulable = true;
        node.Metadata.Annotations ??= new Dictionary<string, string>();
        node.Metadata.Annotations[DrainAnnotation] = remove ? "remove" : "keep";
        context.Store.Update(node);
        context.Event(node.Metadata, "Node", "Normal", "NodeNotSchedulable", string.Create(CultureInfo.InvariantCulture, $"Node {node.Metadata.Name} status is now: NodeNotSchedulable ({why})"));
    }

    /// <summary>Whether a node is being drained.</summary>
    public static bool IsDraining(V1Node node) => node.Metadata.Annotations?.ContainsKey(DrainAnnotation) == true;

    /// <inheritdoc/>
    public void Reconcile(SandboxContext context)
    {
        foreach (var node in context.Store.List<V1Node>().Where(IsDraining).ToList())
        {
            var name = node.Metadata.Name;
            var left = context.Store.List<V1Pod>().Where(p => p.Spec.NodeName == name && p.Status?.Phase is not ("Succeeded" or "Failed")).ToList();
            foreach (var pod in left.Where(p => p.Metadata.DeletionTimestamp is null))
            {
                if (!DisruptionBudgetController.TryEvict(context, pod))
                {
                    // One refusal per pass is enough to say so; the budget's status moves only when pods become ready.
                    break;
                }

                context.Event(pod.Metadata, "Pod", "Normal", "Evicted", $"Evicted from {name} (drain)");
            }

            if (left.Count > 0)
            {
                continue;
            }

            if (node.Metadata.Annotations[DrainAnnotation] == "remove")
            {
                context.Store.Delete(StoreKey.Of(node));
                context.Event(node.Metadata, "Node", "Normal", "ScaleDown", $"cluster-autoscaler removed {name}");
            }
            else
            {
                node.Metadata.Annotations.Remove(DrainAnnotation);
                context.Store.Update(node);
                context.Event(node.Metadata, "Node", "Normal", "Drained", $"Node {name} drained; it stays cordoned");
            }
        }
    }
}
