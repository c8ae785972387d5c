namespace Keelson.Sandbox.Scheduling;

/// <summary>Score extension point: how good is each feasible node for the pod?</summary>
public interface IScorePlugin
{
    /// <summary>The plugin's name, as kube-scheduler names its counterpart.</summary>
    string Name { get; }

    /// <summary>The weight of this plugin's scores in the total (kube-scheduler's default plugin weights).</summary>
    int Weight { get; }

    /// <summary>False when the plugin has nothing to say about the pod (kube-scheduler's PreScore Skip).</summary>
    bool AppliesTo(PodInfo pod);

    /// <summary>
    /// Writes every feasible node's score, normalised to 0–100 (kube-scheduler's MaxNodeScore): Score and
    /// NormalizeScore in one pass, since normalising needs all nodes' raw scores anyway.
    /// </summary>
    void Score(SchedulingCycle cycle, ReadOnlySpan<NodeInfo> nodes, Span<long> scores);
}
