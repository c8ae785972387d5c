namespace Keelson.Sandbox.Scheduling.Plugins;

/// <summary>
/// Required inter-pod affinity and anti-affinity, both ways: the pod's affinity terms need a matching pod in the
/// node's domain, its anti-affinity terms need none, and no pod already in the domain may have an anti-affinity term
/// that selects the pod. Namespaces default to the pod's own.
/// </summary>
public sealed class InterPodAffinityFilter : IFilterPlugin, IPreFilterPlugin
{
    /// <inheritdoc/>
    public string Name => "InterPodAffinity";

    /// <inheritdoc/>
    public bool AppliesTo(PodInfo pod) => true;

    /// <inheritdoc/>
    public bool PreFilter(SchedulingCycle cycle)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        var pod = cycle.Pod;
        var pods = cycle.Snapshot.Pods;
        List<(int Slot, int[] Sums)>? repelling = null;
        Repelling(cycle, pods.GroupsIn(pod.Namespace), ref repelling);
        Repelling(cycle, pods.ClusterWideGroups, ref repelling);
        if (pod.RequiredAffinity.Length == 0 && pod.RequiredAntiAffinity.Length == 0 && repelling is null)
        {
            return false;
        }

        // Kubernetes lets the first of a group of pods with affinity to each other in, or none could ever start.
        var firstOfGroup = pod.RequiredAffinity.All(t => t.SelfMatch) && pod.RequiredAffinity.All(t => t.Counter.Total == 0);
        cycle.Write(this, new State(
            [.. pod.RequiredAffinity.Select(t => DomainCounts.Sum(cycle, t.KeySlot, t.Counter))],
            [.. pod.RequiredAntiAffinity.Select(t => DomainCounts.Sum(cycle, t.KeySlot, t.Counter))],
            [.. repelling ?? []],
            firstOfGroup));
        return true;
    }

    /// <inheritdoc/>
    public bool Filter(SchedulingCycle cycle, NodeInfo node, ICollection<string>? reasons)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        ArgumentNullException.ThrowIfNull(node);
        if (cycle.Read<State>(this) is not { } state)
        {
            return true;
        }

        var pod = cycle.Pod;
        var podsExist = true;
        for (var i = 0; i < pod.RequiredAffinity.Length; i++)
        {
            var count = DomainCounts.At(state.Affinity[i], node, pod.RequiredAffinity[i].KeySlot);
            if (count < 0)
            {
                return Fail(reasons, "node(s) didn't match pod affinity rules");
            }

            podsExist &= count > 0;
        }

        if (!podsExist && !state.FirstOfGroup)
        {
            return Fail(reasons, "node(s) didn't match pod affinity rules");
        }

        for (var i = 0; i < pod.RequiredAntiAffinity.Length; i++)
        {
            if (DomainCounts.At(state.AntiAffinity[i], node, pod.RequiredAntiAffinity[i].KeySlot) > 0)
            {
                return Fail(reasons, "node(s) didn't match pod anti-affinity rules");
            }
        }

        foreach (var (slot, sums) in state.Repelling)
        {
            if (DomainCounts.At(sums, node, slot) > 0)
            {
                return Fail(reasons, "node(s) didn't satisfy existing pods anti-affinity rules");
            }
        }

        return true;
    }

    /// <summary>Sums per domain the bearers of each anti-affinity term that selects the pod.</summary>
    private static void Repelling(SchedulingCycle cycle, IReadOnlyList<AntiAffinityGroup> groups, ref List<(int Slot, int[] Sums)>? repelling)
    {
        for (var i = 0; i < groups.Count; i++)
        {
            if (groups[i].Total > 0 && groups[i].Repels(cycle.Pod))
            {
                (repelling ??= []).Add((groups[i].KeySlot, DomainCounts.Sum(cycle, groups[i].KeySlot, groups[i])));
            }
        }
    }

    private static bool Fail(ICollection<string>? reasons, string reason)
    {
        reasons?.Add(reason);
        return false;
    }

    private sealed record State(int[][] Affinity, int[][] AntiAffinity, (int Slot, int[] Sums)[] Repelling, bool FirstOfGroup);
}
