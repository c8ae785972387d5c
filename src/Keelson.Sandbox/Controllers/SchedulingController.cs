using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Fields;
using Keelson.Sandbox.Scheduling;

namespace Keelson.Sandbox.Controllers;

/// <summary>Binds pending pods with the scheduler; unschedulable pods get the <c>PodScheduled=False</c> reason and a FailedScheduling event.</summary>
public sealed class SchedulingController(Scheduler scheduler) : IController
{
    // What the cluster looked like when every pending pod last failed: like kube-scheduler's unschedulable queue,
    // pods are retried only after something that could make room changed (a node, or the set of bound pods).
    private string lastFailure = "";

    /// <inheritdoc/>
    public void Reconcile(SandboxContext context)
    {
        var pods = context.Store.List<V1Pod>().ToList();
        var pending = pods.Where(p => string.IsNullOrEmpty(p.Spec.NodeName) && Pods.IsActive(p))
            .OrderBy(p => p.Spec.Priority ?? 0).ThenBy(p => p.Metadata.CreationTimestamp).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();
        if (pending.Count == 0)
        {
            return;
        }

        var cluster = Signature(context, pods);
        var fresh = pending.Any(p => p.Status?.Conditions?.Any(c => c.Type == "PodScheduled") != true);
        if (!fresh && cluster == lastFailure)
        {
            return;
        }

        var snapshot = Snapshot(context);
        foreach (var pod in pending)
        {
            var result = scheduler.Schedule(pod, snapshot);
            if (result.NodeName is { } node)
            {
                pod.Spec.NodeName = node;
                pod.Status ??= new V1PodStatus { Phase = "Pending" };
                pod.Status.Conditions = [new V1PodCondition { Type = "PodScheduled", Status = "True", LastTransitionTime = context.Now }];
                context.Store.Update(pod);
                snapshot.Bind(pod, node);
                context.Event(pod.Metadata, "Pod", "Normal", "Scheduled", $"Successfully assigned {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} to {node}");
                continue;
            }

            var previous = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
            if (previous?.Message == result.Message)
            {
                continue;
            }

            pod.Status ??= new V1PodStatus { Phase = "Pending" };
            pod.Status.Conditions =
            [
                new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = result.Message, LastTransitionTime = previous?.LastTransitionTime ?? context.Now },
            ];
            context.WriteStatus(pod, ComponentWrites.Scheduler);
            context.Event(pod.Metadata, "Pod", "Warning", "FailedScheduling", result.Message);
        }

        var stillPending = pods.Any(p => string.IsNullOrEmpty(p.Spec.NodeName) && Pods.IsActive(p));
        lastFailure = stillPending ? Signature(context, context.Store.List<V1Pod>().ToList()) : "";
    }

    private static string Signature(SandboxContext context, List<V1Pod> pods) =>
        string.Join(',', context.Store.List<V1Node>().Select(n => n.Metadata.ResourceVersion))
        + "|" + pods.Count(p => !string.IsNullOrEmpty(p.Spec.NodeName) && p.Status?.Phase is not ("Succeeded" or "Failed"))
        + "|" + pods.Count;

    /// <summary>The nodes and the pods holding resources on them (running, starting or terminating), for the scheduler.</summary>
    public static ClusterSnapshot Snapshot(SandboxContext context, Func<V1Node, bool>? includeNode = null)
    {
        var snapshot = new ClusterSnapshot();
        foreach (var node in context.Store.List<V1Node>().Where(n => includeNode?.Invoke(n) ?? true))
        {
            snapshot.AddNode(node);
        }

        var names = snapshot.Nodes.Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var pod in context.Store.List<V1Pod>().Where(p => !string.IsNullOrEmpty(p.Spec.NodeName) && p.Status?.Phase is not ("Succeeded" or "Failed") && names.Contains(p.Spec.NodeName)))
        {
            snapshot.Bind(pod, pod.Spec.NodeName);
        }

        return snapshot;
    }
}
