using System.Globalization;
using k8s;
using k8s.Models;
using Keelson.Delivery.Clusters;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Nodes;
using Keelson.Spec.Model;

namespace Keelson.Sandbox.Scheduling;

/// <summary>
/// Whether a cluster can hold a namespace's workloads before they are applied: the scheduler places every pod the
/// objects will create, on the live nodes and on nodes the cluster autoscaler could still add (each pool up to its
/// maximum), after the pods already waiting elsewhere, which are ahead in line. The namespace's current pods are left
/// out, since the rollout replaces them (a rolling update's surge is not counted).
/// </summary>
/// <param name="Pods">Pods the objects create.</param>
/// <param name="PlannedNodes">Nodes the autoscaler would add for them and for the pods waiting before them.</param>
/// <param name="Shortfalls">Where the pods that cannot be placed belong and what they lack; empty when everything fits.</param>
public sealed record CapacityForecast(int Pods, int PlannedNodes, IReadOnlyList<PoolShortfall> Shortfalls)
{
    /// <summary>Whether every pod fits.</summary>
    public bool Fits => Shortfalls.Count == 0;

    /// <summary>One sentence per shortfall, for a deployment's message.</summary>
    public string Describe() =>
        Fits
            ? string.Create(CultureInfo.InvariantCulture, $"{Pods} pods fit{(PlannedNodes > 0 ? $" ({PlannedNodes} nodes to be added by the autoscaler)" : "")}")
            : string.Join("; ", Shortfalls.Select(s => s.Describe()));

    /// <summary>Reads the cluster's nodes and pods and forecasts <paramref name="objects"/> in <paramref name="ns"/> on them.</summary>
    public static async Task<CapacityForecast> ReadAsync(
        ICluster cluster, ClusterProfile profile, string ns, IEnumerable<IKubernetesObject<V1ObjectMeta>> objects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var nodes = await cluster.ListAsync("v1", "Node", null, null, cancellationToken).ConfigureAwait(false);
        var pods = await cluster.ListAsync("v1", "Pod", null, null, cancellationToken).ConfigureAwait(false);
        return Of(profile, nodes.OfType<V1Node>(), pods.OfType<V1Pod>(), ns, objects, cluster.Time.GetUtcNow().UtcDateTime);
    }

    /// <summary>The forecast over given nodes and pods.</summary>
    public static CapacityForecast Of(
        ClusterProfile profile, IEnumerable<V1Node> nodes, IEnumerable<V1Pod> pods, string ns, IEnumerable<IKubernetesObject<V1ObjectMeta>> objects, DateTime now, Scheduler? scheduler = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(pods);
        ArgumentNullException.ThrowIfNull(objects);
        var snapshot = new ClusterSnapshot();
        foreach (var node in nodes)
        {
            // A booting node is capacity already on its way: counted as ready, as the autoscaler counts it.
            var ready = node.Spec?.Taints?.Any(t => t.Key == Controllers.ClusterAutoscaler.NotReadyTaint) == true ? Copy.Deep(node) : node;
            if (ready != node)
            {
                ready.Spec.Taints = [.. ready.Spec.Taints.Where(t => t.Key != Controllers.ClusterAutoscaler.NotReadyTaint)];
            }

            snapshot.AddNode(ready);
        }

        var others = pods.Where(p => Engine.Pods.IsActive(p) && p.Metadata.NamespaceProperty != ns).ToList();
        foreach (var pod in others.Where(p => !string.IsNullOrEmpty(p.Spec.NodeName) && snapshot.FindNode(p.Spec.NodeName) is not null))
        {
            snapshot.Bind(pod, pod.Spec.NodeName);
        }

        var simulation = new ScaleUpSimulation(profile, scheduler ?? Scheduler.Default, snapshot, now);
        foreach (var waiting in ByLargestFirst(others.Where(p => string.IsNullOrEmpty(p.Spec.NodeName))))
        {
            simulation.Place(waiting);
        }

        var incoming = objects.SelectMany(o => PodsOf(o, ns)).ToList();
        var unplaced = ByLargestFirst(incoming).Where(p => !simulation.Place(p)).ToList();
        var shortfalls = unplaced
            .GroupBy(p => simulation.PoolsFor(p) is [var first, ..] ? first.Name : "")
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var pool = profile.Pools.FirstOrDefault(p => p.Name == g.Key);
                return new PoolShortfall(
                    pool?.Name,
                    pool is null ? 0 : simulation.NodesOf(pool.Name),
                    pool?.MaxNodes ?? 0,
                    g.GroupBy(WorkloadOf).OrderBy(w => w.Key, StringComparer.Ordinal).Select(w => (w.Key, w.Count())).ToList(),
                    g.Sum(p => PodResources.Request(p.Spec, "cpu", milli: true)),
                    g.Sum(p => PodResources.Request(p.Spec, "memory", milli: false)),
                    g.Sum(p => PodResources.Request(p.Spec, NodeFactory.GpuResource, milli: false)));
            })
            .ToList();
        return new CapacityForecast(incoming.Count, simulation.Planned.Count, shortfalls);
    }

    // The autoscaler's order: the largest CPU request first, then by name, so the same input gives the same answer.
    private static IEnumerable<V1Pod> ByLargestFirst(IEnumerable<V1Pod> pods) =>
        pods.OrderByDescending(p => PodResources.Request(p.Spec, "cpu", milli: true)).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal);

    private const string WorkloadAnnotation = "forecast.keelson.dev/workload";

    private static string WorkloadOf(V1Pod pod) => pod.Metadata.Annotations is { } annotations && annotations.TryGetValue(WorkloadAnnotation, out var workload) ? workload : pod.Metadata.Name;

    private static IEnumerable<V1Pod> PodsOf(IKubernetesObject<V1ObjectMeta> resource, string ns)
    {
        var (template, replicas) = resource switch
        {
            V1Deployment d => (d.Spec?.Template, d.Spec?.Replicas ?? 1),
            V1StatefulSet s => (s.Spec?.Template, s.Spec?.Replicas ?? 1),
            _ => (null, 0),
        };
        if (template?.Spec is null)
        {
            yield break;
        }

        var workload = $"{resource.Kind}/{resource.Metadata.Name}";
        for (var i = 0; i < replicas; i++)
        {
            yield return new V1Pod
            {
                ApiVersion = "v1",
                Kind = "Pod",
                Metadata = new V1ObjectMeta
                {
                    Name = string.Create(CultureInfo.InvariantCulture, $"{resource.Metadata.Name}-forecast-{i}"),
                    NamespaceProperty = resource.Metadata.NamespaceProperty ?? ns,
                    Labels = template.Metadata?.Labels,
                    Annotations = new Dictionary<string, string> { [WorkloadAnnotation] = workload },
                },
                Spec = template.Spec,
            };
        }
    }
}

/// <summary>Pods that do not fit, grouped by the pool they belong in.</summary>
/// <param name="Pool">The cheapest pool whose node could hold them; null when no pool's node can, whatever its size.</param>
/// <param name="Nodes">The pool's nodes, present and planned, when the forecast gave up.</param>
/// <param name="MaxNodes">The pool's maximum.</param>
/// <param name="Workloads">How many pods of each workload (<c>Kind/name</c>) do not fit.</param>
/// <param name="CpuMillis">Their CPU requests.</param>
/// <param name="MemoryBytes">Their memory requests.</param>
/// <param name="Gpus">Their GPU requests.</param>
public sealed record PoolShortfall(string? Pool, int Nodes, int MaxNodes, IReadOnlyList<(string Workload, int Pods)> Workloads, long CpuMillis, long MemoryBytes, long Gpus)
{
    /// <summary>The pods that do not fit.</summary>
    public int Pods => Workloads.Sum(w => w.Pods);

    /// <summary>A sentence naming the pool, its limit, the pods and the missing amounts.</summary>
    public string Describe()
    {
        var missing = Missing();
        var which = string.Join(", ", Workloads.Select(w => string.Create(CultureInfo.InvariantCulture, $"{w.Workload} ×{w.Pods}")));
        return Pool is null
            ? string.Create(CultureInfo.InvariantCulture, $"no node of any pool can hold {Pods} pod(s) ({which}): their selectors or tolerations match no pool, or one pod asks for more than a node has (together {missing})")
            : string.Create(CultureInfo.InvariantCulture, $"pool {Pool} is at {Nodes} of its maximum {MaxNodes} nodes: {Pods} pod(s) do not fit ({which}), missing {missing}");
    }

    private string Missing()
    {
        var parts = new List<string> { string.Create(CultureInfo.InvariantCulture, $"{CpuMillis / 1000.0:0.##} CPU"), string.Create(CultureInfo.InvariantCulture, $"{MemoryBytes / 1073741824.0:0.#} GiB memory") };
        if (Gpus > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{Gpus} GPU"));
        }

        return string.Join(", ", parts);
    }
}
