namespace Keelson.Sandbox.Scheduling;

/// <summary>
/// The pods bound in a snapshot, indexed by namespace, and what the plugins count of them: per node, how many pods
/// each selector matches and how many pods bear each required anti-affinity term. Counts change on bind and unbind
/// only, so a scheduling cycle reads them instead of scanning pods.
/// </summary>
internal sealed class PodIndex
{
    private readonly Dictionary<string, BoundPod> pods = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, BoundPod>> podsByNamespace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SelectorCounter> counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SelectorCounter>> countersByNamespace = new(StringComparer.Ordinal);
    private readonly List<SelectorCounter> clusterWideCounters = [];
    private readonly Dictionary<string, AntiAffinityGroup> groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<AntiAffinityGroup>> groupsByNamespace = new(StringComparer.Ordinal);
    private readonly List<AntiAffinityGroup> clusterWideGroups = [];
    private int nextId;

    public BoundPod? Find(string key) => pods.GetValueOrDefault(key);

    /// <summary>The counter of pods in <paramref name="namespaces"/> (null: all) matching a selector; created on first use from the pods bound.</summary>
    public SelectorCounter Counter(string[]? namespaces, LabelSelectorMatcher selector)
    {
        var key = string.Concat(namespaces is null ? "*" : string.Join(",", namespaces), "|", selector.Canonical);
        if (counters.TryGetValue(key, out var existing))
        {
            return existing;
        }

        var counter = new SelectorCounter(nextId++, namespaces, selector);
        counters[key] = counter;
        Register(counter, namespaces, countersByNamespace, clusterWideCounters);
        foreach (var bound in BoundIn(namespaces))
        {
            if (counter.Counts(bound.Pod))
            {
                bound.Counters.Add(counter);
                counter.Add(bound.Node, 1);
            }
        }

        return counter;
    }

    /// <summary>The group of pods bearing one required anti-affinity term (same namespaces, selector and topology key).</summary>
    public AntiAffinityGroup Group(string[]? namespaces, LabelSelectorMatcher selector, int keySlot)
    {
        var key = string.Concat(namespaces is null ? "*" : string.Join(",", namespaces), "|", selector.Canonical, "|", keySlot.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (!groups.TryGetValue(key, out var group))
        {
            group = new AntiAffinityGroup(nextId++, namespaces, selector, keySlot);
            groups[key] = group;
            Register(group, namespaces, groupsByNamespace, clusterWideGroups);
        }

        return group;
    }

    /// <summary>Anti-affinity groups whose terms name <paramref name="namespace"/>.</summary>
    public IReadOnlyList<AntiAffinityGroup> GroupsIn(string @namespace) => groupsByNamespace.GetValueOrDefault(@namespace) ?? [];

    /// <summary>Anti-affinity groups whose terms select pods of every namespace.</summary>
    public IReadOnlyList<AntiAffinityGroup> ClusterWideGroups => clusterWideGroups;

    public void Bind(PodInfo pod, NodeInfo node)
    {
        var bound = new BoundPod(pod, node);
        pods[pod.Key] = bound;
        if (!podsByNamespace.TryGetValue(pod.Namespace, out var local))
        {
            local = new Dictionary<string, BoundPod>(StringComparer.Ordinal);
            podsByNamespace[pod.Namespace] = local;
        }

        local[pod.Key] = bound;
        node.PodKeys.Add(pod.Key);
        node.AddRequests(pod, 1);
        if (countersByNamespace.TryGetValue(pod.Namespace, out var candidates))
        {
            CountIn(bound, candidates);
        }

        CountIn(bound, clusterWideCounters);
        foreach (var group in pod.AntiAffinityGroups)
        {
            group.Add(node, 1);
        }
    }

    public void Unbind(BoundPod bound)
    {
        pods.Remove(bound.Pod.Key);
        podsByNamespace[bound.Pod.Namespace].Remove(bound.Pod.Key);
        bound.Node.PodKeys.Remove(bound.Pod.Key);
        bound.Node.AddRequests(bound.Pod, -1);
        foreach (var counter in bound.Counters)
        {
            counter.Add(bound.Node, -1);
        }

        foreach (var group in bound.Pod.AntiAffinityGroups)
        {
            group.Add(bound.Node, -1);
        }
    }

    private static void CountIn(BoundPod bound, List<SelectorCounter> candidates)
    {
        foreach (var counter in candidates)
        {
            if (counter.Counts(bound.Pod))
            {
                bound.Counters.Add(counter);
                counter.Add(bound.Node, 1);
            }
        }
    }

    private static void Register<T>(T item, string[]? namespaces, Dictionary<string, List<T>> byNamespace, List<T> clusterWide)
    {
        if (namespaces is null)
        {
            clusterWide.Add(item);
            return;
        }

        foreach (var ns in namespaces)
        {
            if (!byNamespace.TryGetValue(ns, out var list))
            {
                list = [];
                byNamespace[ns] = list;
            }

            list.Add(item);
        }
    }

    private IEnumerable<BoundPod> BoundIn(string[]? namespaces) =>
        namespaces is null
            ? pods.Values
            : namespaces.SelectMany(ns => podsByNamespace.TryGetValue(ns, out var local) ? local.Values : Enumerable.Empty<BoundPod>());
}

/// <summary>A pod bound to a node, with the counters that counted it.</summary>
internal sealed class BoundPod(PodInfo pod, NodeInfo node)
{
    public PodInfo Pod { get; } = pod;

    public NodeInfo Node { get; } = node;

    public List<SelectorCounter> Counters { get; } = [];
}

/// <summary>Counts, per node, the pods of some namespaces (null: all) that a selector matches.</summary>
internal sealed class SelectorCounter(int id, string[]? namespaces, LabelSelectorMatcher selector) : NodeCounter(id)
{
    public bool Counts(PodInfo pod) =>
        (namespaces is null || Array.IndexOf(namespaces, pod.Namespace) >= 0) && selector.Matches(pod.Labels);
}

/// <summary>Counts, per node, the pods bearing one required anti-affinity term, so an incoming pod can check it is not repelled.</summary>
internal sealed class AntiAffinityGroup(int id, string[]? namespaces, LabelSelectorMatcher selector, int keySlot) : NodeCounter(id)
{
    /// <summary>The term's topology key slot.</summary>
    public int KeySlot { get; } = keySlot;

    /// <summary>Whether the term selects the incoming pod, which then may not share a domain with a bearer.</summary>
    public bool Repels(PodInfo pod) =>
        (namespaces is null || Array.IndexOf(namespaces, pod.Namespace) >= 0) && selector.Matches(pod.Labels);
}
