using System.Globalization;
using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Fields;
using Keelson.Sandbox.Nodes;
using Keelson.Sandbox.Scheduling;
using Keelson.Sandbox.Store;
using Keelson.Spec.Model;

namespace Keelson.Sandbox.Controllers;

/// <summary>
/// The cluster autoscaler over the profile's pools: keeps each pool at its minimum (as the node group would), adds
/// nodes for pods unschedulable for longer than the scale-up delay (cheapest fitting pool first, counting nodes
/// still booting, never above a pool's maximum), and removes a node whose requests stay under the utilisation
/// threshold for the unneeded time when its pods fit elsewhere, draining it first through the disruption budgets
/// (<see cref="NodeDrainController"/>).
/// Nodes with emptyDir volumes are eligible, as with <c>--skip-nodes-with-local-storage=false</c>.
/// </summary>
public sealed class ClusterAutoscaler(ClusterProfile profile, Scheduler scheduler) : IController
{
    /// <summary>Annotation on a booting node: when it becomes Ready.</summary>
    public const string ReadyAtAnnotation = "sandbox.keelson.dev/ready-at";

    /// <summary>The taint a node carries until its kubelet is ready.</summary>
    public const string NotReadyTaint = "node.kubernetes.io/not-ready";

    /// <summary>How often the autoscaler looks at pending pods and unneeded nodes (its <c>--scan-interval</c> default).</summary>
    public static readonly TimeSpan ScanInterval = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, DateTime> unneededSince = new(StringComparer.Ordinal);
    private DateTime lastScaleUp = DateTime.MinValue;
    private DateTime lastScan = DateTime.MinValue;
    private string lastScaleUpInput = "";

    /// <inheritdoc/>
    public void Reconcile(SandboxContext context)
    {
        FinishBooting(context);
        var nodes = context.Store.List<V1Node>().ToList();
        foreach (var pool in profile.Pools)
        {
            var have = nodes.Count(n => PoolOf(n) == pool.Name);
            for (var i = have; i < pool.MinNodes; i++)
            {
                AddNode(context, pool, booting: true);
            }
        }

        if (context.Now - lastScan < ScanInterval)
        {
            return;
        }

        lastScan = context.Now;
        ScaleUp(context);
        ScaleDown(context);
    }

    /// <summary>Adds a node to a pool: ready at once when the cluster is created, otherwise after the provisioning time.</summary>
    public static V1Node AddNode(SandboxContext context, NodePool pool, bool booting, string? zone = null)
    {
        // Nodes of the initial cluster are numbered; added ones get a generated suffix, as Karpenter names them,
        // so a replacement never takes a lost node's name.
        var existing = context.Store.List<V1Node>().Count(n => PoolOf(n) == pool.Name);
        var node = NodeFactory.Create(pool, existing, context.Now, zone);
        if (booting)
        {
            node.Metadata.Name = context.FreeName<V1Node>(null, pool.Name);
            node.Metadata.Labels["kubernetes.io/hostname"] = node.Metadata.Name;
        }

        if (booting)
        {
            node.Metadata.Annotations = new Dictionary<string, string> { [ReadyAtAnnotation] = (context.Now + context.Options.NodeProvisioning).ToString("O", CultureInfo.InvariantCulture) };
            node.Spec.Taints = [.. node.Spec.Taints ?? [], new V1Taint { Key = NotReadyTaint, Effect = "NoSchedule", TimeAdded = context.Now }];
            node.Status.Conditions = [new V1NodeCondition { Type = "Ready", Status = "False", Reason = "KubeletNotReady", Message = "instance is booting", LastTransitionTime = context.Now }];
        }

        // The kubelet registers its node and posts its status, as managedFields shows on a real node.
        ComponentWrites.Created(node, ComponentWrites.Kubelet, context.Now);
        ComponentWrites.Status(node, ComponentWrites.Kubelet, context.Now);
        context.Store.Create(node);
        return node;
    }

    /// <summary>The pool a node belongs to.</summary>
    public static string PoolOf(V1Node node) => ScaleUpSimulation.PoolOf(node);

    private static void FinishBooting(SandboxContext context)
    {
        foreach (var node in context.Store.List<V1Node>().Where(n => n.Metadata.Annotations?.ContainsKey(ReadyAtAnnotation) == true).ToList())
        {
            var readyAt = DateTime.Parse(node.Metadata.Annotations[ReadyAtAnnotation], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
            if (context.Now < readyAt)
            {
                continue;
            }

            node.Metadata.Annotations.Remove(ReadyAtAnnotation);
            node.Spec.Taints = [.. (node.Spec.Taints ?? []).Where(t => t.Key != NotReadyTaint)];
            if (node.Spec.Taints.Count == 0)
            {
                node.Spec.Taints = null;
            }

            node.Status.Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady", Message = "simulated kubelet is posting ready status", LastTransitionTime = context.Now }];

            // The node lifecycle controller lifts the not-ready taint; the kubelet posts the Ready condition.
            ComponentWrites.Changed(node, ComponentWrites.ControllerManager, context.Now, FieldPath.Of("spec", "taints"));
            context.WriteStatus(node, ComponentWrites.Kubelet);
            context.Event(node.Metadata, "Node", "Normal", "NodeReady", $"Node {node.Metadata.Name} status is now: NodeReady");
        }
    }

    private void ScaleUp(SandboxContext context)
    {
        var waiting = context.Store.List<V1Pod>()
            .Where(p => string.IsNullOrEmpty(p.Spec.NodeName) && Pods.IsActive(p)
                && p.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled") is { Status: "False", Reason: "Unschedulable" } c
                && context.Now - (c.LastTransitionTime ?? context.Now) >= context.Options.ScaleUpDelay)
            .ToList();
        // The same pods waiting on the same nodes lead to the same decision: skip the simulation.
        var input = string.Join(',', waiting.Select(p => p.Metadata.Uid)) + "|" + string.Join(',', context.Store.List<V1Node>().Select(n => n.Metadata.ResourceVersion));
        if (waiting.Count == 0 || input == lastScaleUpInput)
        {
            return;
        }

        lastScaleUpInput = input;

        // Pods that fit on existing nodes, or on nodes still booting (capacity already on its way), need no new node.
        static bool Booting(V1Node n) => n.Metadata.Annotations?.ContainsKey(ReadyAtAnnotation) == true;
        var upcoming = SchedulingController.Snapshot(context, n => !Booting(n));
        foreach (var node in context.Store.List<V1Node>().Where(Booting))
        {
            upcoming.AddNode(Ready(node));
        }

        var simulation = new ScaleUpSimulation(profile, scheduler, upcoming, context.Now);
        foreach (var pod in waiting.OrderByDescending(p => PodResources.Request(p.Spec, "cpu", milli: true)).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal))
        {
            simulation.Place(pod);
        }

        foreach (var (pool, planned) in simulation.Planned)
        {
            var node = AddNode(context, pool, booting: true, planned.Metadata.Labels["topology.kubernetes.io/zone"]);
            context.Event(node.Metadata, "Node", "Normal", "TriggeredScaleUp", $"cluster-autoscaler added {node.Metadata.Name} to pool {pool.Name} for pending pods");
            lastScaleUp = context.Now;
        }
    }

    private void ScaleDown(SandboxContext context)
    {
        var nodes = context.Store.List<V1Node>().ToList();
        if (nodes.Any(NodeDrainController.IsDraining))
        {
            // One node at a time, as the autoscaler removes them.
            return;
        }

        if (context.Now - lastScaleUp < context.Options.ScaleDownUnneeded)
        {
            return;
        }

        var pods = context.Store.List<V1Pod>().Where(p => !string.IsNullOrEmpty(p.Spec.NodeName) && Pods.IsActive(p)).ToList();
        foreach (var node in nodes)
        {
            var pool = profile.Pools.FirstOrDefault(p => p.Name == PoolOf(node));
            var name = node.Metadata.Name;
            if (pool is null || nodes.Count(n => PoolOf(n) == pool.Name) <= pool.MinNodes || node.Metadata.Annotations?.ContainsKey(ReadyAtAnnotation) == true
                || NodeLifecycleController.IsUnreachable(node) || Utilisation(node, pods.Where(p => p.Spec.NodeName == name)) >= context.Options.ScaleDownUtilisation)
            {
                unneededSince.Remove(name);
                continue;
            }

            var since = unneededSince.TryGetValue(name, out var s) ? s : unneededSince[name] = context.Now;
            if (context.Now - since < context.Options.ScaleDownUnneeded || !FitsElsewhere(context, node, pods.Where(p => p.Spec.NodeName == name).ToList()))
            {
                continue;
            }

            unneededSince.Remove(name);
            NodeDrainController.Start(context, node, remove: true, $"cluster-autoscaler: unneeded since {since:O}");
            return;
        }
    }

    private bool FitsElsewhere(SandboxContext context, V1Node node, List<V1Pod> pods)
    {
        if (pods.Any(p => p.Metadata.OwnerReferences is null or { Count: 0 }))
        {
            // A bare pod would not come back anywhere: the autoscaler leaves its node alone.
            return false;
        }

        var rest = SchedulingController.Snapshot(context, n => n.Metadata.Name != node.Metadata.Name && n.Spec.Unschedulable != true && !NodeLifecycleController.IsUnreachable(n));
        foreach (var pod in pods)
        {
            // Asked as if unscheduled (a bound pod would only fit its own node); the snapshot is thrown away after.
            var bound = pod.Spec.NodeName;
            pod.Spec.NodeName = null;
            try
            {
                if (scheduler.Schedule(pod, rest).NodeName is not { } target)
                {
                    return false;
                }

                rest.Bind(pod, target);
            }
            finally
            {
                pod.Spec.NodeName = bound;
            }
        }

        return true;
    }

    private static double Utilisation(V1Node node, IEnumerable<V1Pod> pods)
    {
        var list = pods.ToList();
        var cpu = list.Sum(p => PodResources.Request(p.Spec, "cpu", milli: true)) / (double)Math.Max(PodResources.Quantity(node.Status.Allocatable, "cpu", milli: true), 1);
        var memory = list.Sum(p => PodResources.Request(p.Spec, "memory", milli: false)) / (double)Math.Max(PodResources.Quantity(node.Status.Allocatable, "memory", milli: false), 1);
        return Math.Max(cpu, memory);
    }

    // One template node per pool, as the autoscaler's node-group templates: asked "would the pod fit a new node?".
    private static V1Node Ready(V1Node booting)
    {
        var node = Copy.Deep(booting);
        node.Spec.Taints = node.Spec.Taints?.Where(t => t.Key != NotReadyTaint).ToList();
        return node;
    }
}
