namespace Keelson.Sandbox.Scheduling.Plugins;

/// <summary>
/// Topology spread constraints with whenUnsatisfiable DoNotSchedule: placing the pod must not make any domain hold
/// more than maxSkew matching pods above the least-loaded eligible domain. As in Kubernetes, eligible domains come
/// from nodes that carry every constraint's key and pass the pod's node affinity (nodeAffinityPolicy Honor, the
/// default) and, only with nodeTaintsPolicy Honor, its tolerations; fewer than minDomains domains make the minimum 0.
/// </summary>
public sealed class PodTopologySpreadFilter : IFilterPlugin, IPreFilterPlugin
{
    private const string Reason = "node(s) didn't match pod topology spread constraints";
    private const string MissingLabel = "node(s) didn't match pod topology spread constraints (missing required label)";

    /// <inheritdoc/>
    public string Name => "PodTopologySpread";

    /// <inheritdoc/>
    public bool AppliesTo(PodInfo pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return pod.HardSpread.Length > 0;
    }

    /// <inheritdoc/>
    public bool PreFilter(SchedulingCycle cycle)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        var constraints = cycle.Pod.HardSpread;
        var counts = SpreadDomains.Count(cycle, constraints);
        var minimum = new int[constraints.Length];
        for (var i = 0; i < constraints.Length; i++)
        {
            var domains = 0;
            var least = int.MaxValue;
            for (var d = 0; d < cycle.Snapshot.Topology.DomainCount(constraints[i].KeySlot); d++)
            {
                if (counts[i][d] >= 0)
                {
                    domains++;
                    least = Math.Min(least, counts[i][d]);
                }
            }

            minimum[i] = domains == 0 || domains < constraints[i].MinDomains ? 0 : least;
        }

        cycle.Write(this, new State(counts, minimum));
        return true;
    }

    /// <inheritdoc/>
    public bool Filter(SchedulingCycle cycle, NodeInfo node, ICollection<string>? reasons)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        ArgumentNullException.ThrowIfNull(node);
        var state = cycle.Read<State>(this);
        var constraints = cycle.Pod.HardSpread;
        for (var i = 0; i < constraints.Length && state is not null; i++)
        {
            var constraint = constraints[i];
            var domain = node.Domain(constraint.KeySlot);
            if (domain < 0)
            {
                reasons?.Add(MissingLabel);
                return false;
            }

            var matching = Math.Max(state.Counts[i][domain], 0) + (constraint.SelfMatch ? 1 : 0);
            if (matching - state.Minimum[i] > constraint.MaxSkew)
            {
                reasons?.Add(Reason);
                return false;
            }
        }

        return true;
    }

    private sealed record State(int[][] Counts, int[] Minimum);
}
