using System.Runtime.CompilerServices;
using k8s.Models;

namespace Keelson.Sandbox.Scheduling;

/// <summary>
/// Nodes and the pods bound to them, updated incrementally: requested resources, topology domains and per-selector
/// pod counts change on <see cref="Bind"/> and <see cref="Unbind"/>, so scheduling a pod never rescans pods.
/// Not thread-safe: one writer (the sandbox's scheduler loop or the cluster autoscaler's simulation) at a time.
/// </summary>
public sealed class ClusterSnapshot
{
    private readonly List<NodeInfo> nodes = [];
    private readonly Dictionary<string, NodeInfo> nodesByName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> scalarIds = new(StringComparer.Ordinal);
    private readonly ConditionalWeakTable<V1Pod, PodInfo> described = [];
    private readonly NodeView view;

    /// <summary>An empty snapshot.</summary>
    public ClusterSnapshot() => view = new NodeView(nodes);

    /// <summary>The nodes, in the order they were added.</summary>
    public IReadOnlyCollection<V1Node> Nodes => view;

    /// <summary>The nodes as the plugins read them.</summary>
    public IReadOnlyList<NodeInfo> NodeInfos => nodes;

    /// <summary>The nodes as a span, for the scheduler's loop.</summary>
    internal ReadOnlySpan<NodeInfo> NodeSpan => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(nodes);

    internal TopologyDomains Topology { get; } = new();

    /// <summary>Where the scheduler's next search for feasible nodes starts (kube-scheduler's nextStartNodeIndex).</summary>
    internal int NextStartNode { get; set; }

    internal PodIndex Pods { get; } = new();

    /// <summary>Adds a node; a node of the same name is replaced and keeps its pods (a cordon or a label change).</summary>
    public void AddNode(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var info = new NodeInfo(node, ScalarId);
        if (nodesByName.TryGetValue(info.Name, out var previous))
        {
            var moved = previous.PodKeys.Select(k => Pods.Find(k)!).ToList();
            RemoveNode(info.Name);
            Add(info);
            foreach (var bound in moved)
            {
                Pods.Bind(bound.Pod, info);
            }

            return;
        }

        Add(info);
    }

    /// <summary>Removes a node; the pods bound to it are dropped from the snapshot. Unknown names are ignored.</summary>
    public void RemoveNode(string nodeName)
    {
        if (!nodesByName.Remove(nodeName, out var info))
        {
            return;
        }

        foreach (var key in info.PodKeys.ToList())
        {
            Pods.Unbind(Pods.Find(key)!);
        }

        nodes.Remove(info);
        Topology.Unassign(info);
    }

    /// <summary>Counts the pod against the node. Does not set <c>spec.nodeName</c>; the caller does.</summary>
    /// <exception cref="InvalidOperationException">The node is unknown or the pod is already bound.</exception>
    public void Bind(V1Pod pod, string nodeName)
    {
        var info = Describe(pod);
        var node = nodesByName.GetValueOrDefault(nodeName)
            ?? throw new InvalidOperationException($"Cannot bind pod {info.Key}: node '{nodeName}' is not in the snapshot; add it first.");
        if (Pods.Find(info.Key) is { } bound)
        {
            throw new InvalidOperationException($"Pod {info.Key} is already bound to node '{bound.Node.Name}'; unbind it first.");
        }

        Pods.Bind(info, node);
    }

    /// <summary>Releases the pod (by namespace/name) from its node; a pod that is not bound is ignored.</summary>
    public void Unbind(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var key = Keys.Of(NamespaceOf(pod), pod.Metadata?.Name ?? "");
        if (Pods.Find(key) is { } bound)
        {
            Pods.Unbind(bound);
        }
    }

    /// <summary>The node a pod (by namespace/name) is bound to, or null.</summary>
    public string? NodeOf(string @namespace, string name) => Pods.Find(Keys.Of(@namespace, name))?.Node.Name;

    /// <summary>A node by name, or null.</summary>
    public NodeInfo? FindNode(string nodeName) => nodesByName.GetValueOrDefault(nodeName);

    /// <summary>
    /// The pod as the plugins read it, computed once per pod object: a watch delivers a new object for every
    /// change, so an updated pod is computed afresh.
    /// </summary>
    public PodInfo Describe(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (!described.TryGetValue(pod, out var info))
        {
            info = PodCompiler.Compile(pod, NamespaceOf(pod), this);
            described.AddOrUpdate(pod, info);
        }

        return info;
    }

    internal int ScalarId(string resource)
    {
        if (!scalarIds.TryGetValue(resource, out var id))
        {
            id = scalarIds.Count;
            scalarIds[resource] = id;
        }

        return id;
    }

    internal int KeySlot(string topologyKey) => Topology.Slot(topologyKey, nodes);

    private static string NamespaceOf(V1Pod pod) => string.IsNullOrEmpty(pod.Metadata?.NamespaceProperty) ? "default" : pod.Metadata.NamespaceProperty;

    private void Add(NodeInfo info)
    {
        nodesByName[info.Name] = info;
        nodes.Add(info);
        Topology.Assign(info);
    }

    private sealed class NodeView(List<NodeInfo> nodes) : IReadOnlyCollection<V1Node>
    {
        public int Count => nodes.Count;

        public IEnumerator<V1Node> GetEnumerator() => nodes.Select(n => n.Node).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
