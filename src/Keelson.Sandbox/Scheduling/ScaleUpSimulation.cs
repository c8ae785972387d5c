using k8s.Models;
using Keelson.Sandbox.Nodes;
using Keelson.Spec.Model;

namespace Keelson.Sandbox.Scheduling;

/// <summary>
/// The cluster autoscaler's what-if: a pod goes on a node of the snapshot when the scheduler finds one, else on a
/// planned node of the cheapest pool (and zone) whose template it fits and that is still under its maximum. The
/// sandbox's autoscaler turns the planned nodes into real ones; a deployment's capacity check only counts them.
/// </summary>
public sealed class ScaleUpSimulation
{
    private readonly ClusterProfile profile;
    private readonly Scheduler scheduler;
    private readonly Dictionary<string, int> counts;
    private readonly Dictionary<string, V1Node> templates = new(StringComparer.Ordinal);
    private readonly List<(NodePool Pool, V1Node Node)> planned = [];
    private readonly DateTime now;

    /// <summary>A simulation over <paramref name="snapshot"/>, which it changes: placed pods are bound, planned nodes added.</summary>
    public ScaleUpSimulation(ClusterProfile profile, Scheduler scheduler, ClusterSnapshot snapshot, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(snapshot);
        this.profile = profile;
        this.scheduler = scheduler;
        Snapshot = snapshot;
        this.now = now;
        counts = profile.Pools.ToDictionary(p => p.Name, p => snapshot.Nodes.Count(n => PoolOf(n) == p.Name), StringComparer.Ordinal);
    }

    /// <summary>The nodes and pods as placed so far.</summary>
    public ClusterSnapshot Snapshot { get; }

    /// <summary>The nodes the simulation added, in order, with their pools.</summary>
    public IReadOnlyList<(NodePool Pool, V1Node Node)> Planned => planned;

    /// <summary>Nodes of a pool, present and planned.</summary>
    public int NodesOf(string pool) => counts.GetValueOrDefault(pool);

    /// <summary>The pool a node belongs to, by its pool label; empty for a node of no pool.</summary>
    public static string PoolOf(V1Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.Metadata.Labels?.TryGetValue(NodeFactory.PoolLabel, out var pool) == true ? pool : "";
    }

    /// <summary>Places the pod on an existing node or a planned one; false when neither can hold it.</summary>
    public bool Place(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (scheduler.Schedule(pod, Snapshot).NodeName is { } there)
        {
            Snapshot.Bind(pod, there);
            return true;
        }

        // Each zone of a pool is a template of its own, as with one node group per zone: a pod spread across zones
        // fits only a node in the zone its constraint allows.
        var choice = profile.Pools
            .Where(p => counts[p.Name] < p.MaxNodes)
            .OrderBy(p => p.Instance.Prices.OnDemandUsd)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .SelectMany(p => NodeFactory.Zones(p).Select(zone => (Pool: p, Zone: zone)))
            .FirstOrDefault(c => scheduler.Fits(pod, Template(c.Pool, c.Zone), Snapshot));
        if (choice.Pool is not { } pool)
        {
            return false;
        }

        var node = NodeFactory.Create(pool, counts[pool.Name]++, now, choice.Zone);
        node.Metadata.Name = $"{node.Metadata.Name}-planned";
        Snapshot.AddNode(node);
        Snapshot.Bind(pod, node.Metadata.Name);
        planned.Add((pool, node));
        return true;
    }

    /// <summary>
    /// The pools whose empty node could hold the pod if they had room, cheapest first: where the pod belongs, whatever
    /// is bound elsewhere. Empty when no pool's node can ever hold it (too large, or selectors no pool matches).
    /// </summary>
    public IReadOnlyList<NodePool> PoolsFor(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var empty = new ClusterSnapshot();
        return [.. profile.Pools
            .OrderBy(p => p.Instance.Prices.OnDemandUsd)
            .ThenBy(p => p.Name, StringComparer.Ordinal)
            .Where(p => NodeFactory.Zones(p).Any(zone => scheduler.Fits(pod, Template(p, zone), empty)))];
    }

    private V1Node Template(NodePool pool, string zone)
    {
        var key = $"{pool.Name}/{zone}";
        if (!templates.TryGetValue(key, out var template))
        {
            template = NodeFactory.Create(pool, 0, DateTime.UnixEpoch, zone);
            template.Metadata.Name = $"{pool.Name}-template-{zone}";
            template.Metadata.Labels["kubernetes.io/hostname"] = template.Metadata.Name;
            templates[key] = template;
        }

        return template;
    }
}
