using k8s.Models;

namespace Keelson.Sandbox.Scheduling.Plugins;

/// <summary>A pod fits a node only if it tolerates every NoSchedule and NoExecute taint of it.</summary>
public sealed class TaintTolerationFilter : IFilterPlugin
{
    /// <inheritdoc/>
    public string Name => "TaintToleration";

    /// <inheritdoc/>
    public bool AppliesTo(PodInfo pod) => true;

    /// <inheritdoc/>
    public bool Filter(SchedulingCycle cycle, NodeInfo node, ICollection<string>? reasons)
    {
        ArgumentNullException.ThrowIfNull(cycle);
        ArgumentNullException.ThrowIfNull(node);
        foreach (var taint in node.HardTaints)
        {
            if (!Tolerates(cycle.Pod.TolerationArray, taint))
            {
                reasons?.Add($"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}");
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the pod tolerates every NoSchedule and NoExecute taint of the node.</summary>
    internal static bool ToleratesAll(PodInfo pod, NodeInfo node)
    {
        foreach (var taint in node.HardTaints)
        {
            if (!Tolerates(pod.TolerationArray, taint))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Kubernetes' <c>ToleratesTaint</c>: an empty effect matches every effect, an empty key (with Exists) every key;
    /// Exists ignores the value, Equal (the default operator) compares it.
    /// </summary>
    internal static bool Tolerates(V1Toleration[] tolerations, V1Taint taint)
    {
        foreach (var toleration in tolerations)
        {
            if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != taint.Effect)
            {
                continue;
            }

            if (!string.IsNullOrEmpty(toleration.Key) && toleration.Key != taint.Key)
            {
                continue;
            }

            var matches = toleration.OperatorProperty switch
            {
                null or "" or "Equal" => (toleration.Value ?? "") == (taint.Value ?? ""),
                "Exists" => true,
                _ => false,
            };
            if (matches)
            {
                return true;
            }
        }

        return false;
    }
}
