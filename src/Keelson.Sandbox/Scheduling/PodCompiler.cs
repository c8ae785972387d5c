using k8s.Models;

namespace Keelson.Sandbox.Scheduling;

/// <summary>
/// Turns a <see cref="V1Pod"/> into a <see cref="PodInfo"/> once: quantities to integers, selectors compiled,
/// spread constraints and affinity terms bound to the snapshot's counters and topology slots.
/// </summary>
internal static class PodCompiler
{
    public static PodInfo Compile(V1Pod pod, string @namespace, ClusterSnapshot snapshot)
    {
        var name = pod.Metadata?.Name ?? throw new ArgumentException("A pod needs metadata.name.", nameof(pod));
        var spec = pod.Spec ?? new V1PodSpec { Containers = [] };
        var (requests, nonZero) = PodRequests.Of(spec);
        var probe = new PodInfo(pod, @namespace, name);
        var affinity = spec.Affinity;
        var required = affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        var spread = (spec.TopologySpreadConstraints ?? []).Select(c => (c.WhenUnsatisfiable, Constraint: Spread(c, probe, snapshot))).ToList();
        var antiRequired = (affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? []).ToList();
        return new PodInfo(pod, @namespace, name)
        {
            MilliCpu = requests.GetValueOrDefault(PodRequests.Cpu),
            MemoryBytes = requests.GetValueOrDefault(PodRequests.Memory),
            NonZeroMilliCpu = nonZero.GetValueOrDefault(PodRequests.Cpu),
            NonZeroMemoryBytes = nonZero.GetValueOrDefault(PodRequests.Memory),
            Scalars = [.. requests
                .Where(r => r.Value > 0 && r.Key is not (PodRequests.Cpu or PodRequests.Memory or PodRequests.Pods))
                .OrderBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => new ScalarRequest(snapshot.ScalarId(r.Key), r.Key, r.Value))],
            RequiredNodeAffinity = required is null ? null : NodeSelectorMatcher.Compile(required.NodeSelectorTerms ?? []),
            PreferredNodeAffinity = [.. (affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? [])
                .Select(t => (t.Weight, NodeSelectorMatcher.Compile([t.Preference])))],
            HardSpread = [.. spread.Where(s => s.WhenUnsatisfiable == "DoNotSchedule").Select(s => s.Constraint)],
            SoftSpread = [.. spread.Where(s => s.WhenUnsatisfiable == "ScheduleAnyway").Select(s => s.Constraint)],
            RequiredAffinity = [.. (affinity?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => Term(t, 0, probe, snapshot))],
            RequiredAntiAffinity = [.. antiRequired.Select(t => Term(t, 0, probe, snapshot))],
            PreferredPodTerms = [
                .. (affinity?.PodAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => Term(t.PodAffinityTerm, t.Weight, probe, snapshot)),
                .. (affinity?.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution ?? []).Select(t => Term(t.PodAffinityTerm, -t.Weight, probe, snapshot)),
            ],
            AntiAffinityGroups = [.. antiRequired.Select(t => snapshot.Pods.Group(
                Namespaces(t, @namespace), LabelSelectorMatcher.Compile(t.LabelSelector), snapshot.KeySlot(t.TopologyKey)))],
        };
    }

    private static SpreadConstraint Spread(V1TopologySpreadConstraint constraint, PodInfo pod, ClusterSnapshot snapshot)
    {
        // matchLabelKeys narrows the selector to this pod's own values, e.g. one Deployment revision.
        var extra = (constraint.MatchLabelKeys ?? [])
            .Where(pod.Labels.ContainsKey)
            .Select(k => KeyValuePair.Create(k, pod.Labels[k]));
        var selector = LabelSelectorMatcher.Compile(constraint.LabelSelector, extra);
        return new SpreadConstraint(
            snapshot.Pods.Counter([pod.Namespace], selector),
            snapshot.KeySlot(constraint.TopologyKey),
            constraint.TopologyKey,
            Math.Max(constraint.MaxSkew, 1),
            Math.Max(constraint.MinDomains ?? 1, 1),
            selector.Matches(pod.Labels),
            HonorNodeAffinity: constraint.NodeAffinityPolicy != "Ignore",
            HonorTaints: constraint.NodeTaintsPolicy == "Honor");
    }

    private static AffinityTerm Term(V1PodAffinityTerm term, int weight, PodInfo pod, ClusterSnapshot snapshot)
    {
        var namespaces = Namespaces(term, pod.Namespace);
        var selector = LabelSelectorMatcher.Compile(term.LabelSelector);
        var selfMatch = (namespaces is null || namespaces.Contains(pod.Namespace)) && selector.Matches(pod.Labels);
        return new AffinityTerm(snapshot.Pods.Counter(namespaces, selector), snapshot.KeySlot(term.TopologyKey), term.TopologyKey, selfMatch, weight);
    }

    /// <summary>
    /// The namespaces a term selects: those listed, all for an empty namespaceSelector, else the pod's own. The
    /// sandbox has no Namespace objects, so a namespaceSelector with requirements adds no namespace.
    /// </summary>
    private static string[]? Namespaces(V1PodAffinityTerm term, string own)
    {
        if (term.NamespaceSelector is { } ns && (ns.MatchLabels?.Count ?? 0) == 0 && (ns.MatchExpressions?.Count ?? 0) == 0)
        {
            return null;
        }

        return term.Namespaces is { Count: > 0 } listed ? [.. listed.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] : [own];
    }
}
