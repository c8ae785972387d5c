using k8s.Models;

namespace Keelson.Sandbox.Scheduling;

/// <summary>
/// A pod as the scheduler reads it, computed once per pod and snapshot: requests as integers, tolerations,
/// compiled selectors and affinity terms, and spread constraints bound to the snapshot's pod counters.
/// </summary>
public sealed class PodInfo
{
    internal PodInfo(V1Pod pod, string @namespace, string name)
    {
        Pod = pod;
        Namespace = @namespace;
        Name = name;
        Key = Keys.Of(@namespace, name);
        Labels = pod.Metadata?.Labels ?? new Dictionary<string, string>();
        NodeName = string.IsNullOrEmpty(pod.Spec?.NodeName) ? null : pod.Spec.NodeName;
        TolerationArray = pod.Spec?.Tolerations?.ToArray() ?? [];
        NodeSelectorArray = pod.Spec?.NodeSelector?.ToArray() ?? [];
    }

    /// <summary>The pod object.</summary>
    public V1Pod Pod { get; }

    /// <summary>metadata.namespace ("default" when empty).</summary>
    public string Namespace { get; }

    /// <summary>metadata.name.</summary>
    public string Name { get; }

    /// <summary>namespace/name.</summary>
    public string Key { get; }

    /// <summary>metadata.labels (empty when none).</summary>
    public IDictionary<string, string> Labels { get; }

    /// <summary>spec.nodeName, or null.</summary>
    public string? NodeName { get; }

    /// <summary>Requested CPU in millicores.</summary>
    public long MilliCpu { get; internal init; }

    /// <summary>Requested memory in bytes.</summary>
    public long MemoryBytes { get; internal init; }

    /// <summary>CPU for scoring: containers without a request count kube-scheduler's 100m.</summary>
    public long NonZeroMilliCpu { get; internal init; }

    /// <summary>Memory for scoring: containers without a request count kube-scheduler's 200 MB.</summary>
    public long NonZeroMemoryBytes { get; internal init; }

    /// <summary>spec.tolerations.</summary>
    public IReadOnlyList<V1Toleration> Tolerations => TolerationArray;

    /// <summary>spec.nodeSelector.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> NodeSelector => NodeSelectorArray;

    /// <summary>spec.tolerations as an array, which the per-node loops walk without an enumerator.</summary>
    internal V1Toleration[] TolerationArray { get; }

    /// <summary>spec.nodeSelector as an array, which the per-node loops walk without an enumerator.</summary>
    internal KeyValuePair<string, string>[] NodeSelectorArray { get; }

    /// <summary>Requests of resources other than CPU, memory and pods (GPUs and other extended resources).</summary>
    internal ScalarRequest[] Scalars { get; init; } = [];

    /// <summary>Required node affinity, or null.</summary>
    internal NodeSelectorMatcher? RequiredNodeAffinity { get; init; }

    /// <summary>Preferred node affinity terms with their weights.</summary>
    internal (int Weight, NodeSelectorMatcher Term)[] PreferredNodeAffinity { get; init; } = [];

    /// <summary>Spread constraints with whenUnsatisfiable DoNotSchedule.</summary>
    internal SpreadConstraint[] HardSpread { get; init; } = [];

    /// <summary>Spread constraints with whenUnsatisfiable ScheduleAnyway.</summary>
    internal SpreadConstraint[] SoftSpread { get; init; } = [];

    /// <summary>Required pod affinity terms.</summary>
    internal AffinityTerm[] RequiredAffinity { get; init; } = [];

    /// <summary>Required pod anti-affinity terms.</summary>
    internal AffinityTerm[] RequiredAntiAffinity { get; init; } = [];

    /// <summary>Preferred pod affinity (positive weight) and anti-affinity (negative weight) terms.</summary>
    internal AffinityTerm[] PreferredPodTerms { get; init; } = [];

    /// <summary>The snapshot's groups for this pod's required anti-affinity terms, counted where the pod is bound.</summary>
    internal AntiAffinityGroup[] AntiAffinityGroups { get; init; } = [];

    /// <summary>Whether the node satisfies spec.nodeSelector and the required node affinity, as both filters and spread read it.</summary>
    internal bool MatchesNodeSelectorAndAffinity(NodeInfo node)
    {
        foreach (var (key, value) in NodeSelectorArray)
        {
            if (!node.Labels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return RequiredNodeAffinity?.Matches(node) ?? true;
    }
}

/// <summary>An extended resource request by its snapshot id.</summary>
internal readonly record struct ScalarRequest(int Id, string Name, long Amount);

/// <summary>A topology spread constraint bound to the counter of the pods its selector matches in the pod's namespace.</summary>
internal sealed record SpreadConstraint(
    SelectorCounter Counter, int KeySlot, string TopologyKey, int MaxSkew, int MinDomains, bool SelfMatch, bool HonorNodeAffinity, bool HonorTaints);

/// <summary>A pod (anti-)affinity term bound to its counter; <paramref name="Weight"/> is 0 for required terms.</summary>
internal sealed record AffinityTerm(SelectorCounter Counter, int KeySlot, string TopologyKey, bool SelfMatch, int Weight);

/// <summary>Pod keys as the snapshot stores them.</summary>
internal static class Keys
{
    public static string Of(string @namespace, string name) => string.Concat(@namespace, "/", name);
}
