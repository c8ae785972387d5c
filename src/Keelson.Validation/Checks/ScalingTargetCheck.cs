using System.Globalization;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>Autoscalers and disruption budgets must point at something, with sane bounds.</summary>
public sealed class ScalingTargetCheck : ISetCheck
{
    /// <inheritdoc/>
    public string Id => "scaling-target";

    /// <inheritdoc/>
    public Severity Severity => Severity.Error;

    /// <inheritdoc/>
    public string Description => "HPA and ScaledObject targets exist, min ≤ max, and resource metrics have requests to measure against.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        foreach (var hpa in manifests.Documents.Where(d => d.Kind == "HorizontalPodAutoscaler"))
        {
            var kind = CheckContext.Value(hpa.Node, "spec.scaleTargetRef.kind") ?? "";
            var name = CheckContext.Value(hpa.Node, "spec.scaleTargetRef.name") ?? "";
            var target = manifests.Find(kind, hpa.Namespace, name);
            if (target is null)
            {
                yield return SetFinding.At(this, hpa, CheckContext.Get(hpa.Node, "spec.scaleTargetRef"), "spec.scaleTargetRef", $"target {kind}/{name} is not in these manifests", "Fix the target reference.");
            }

            if (int.TryParse(CheckContext.Value(hpa.Node, "spec.minReplicas") ?? "1", out var min) && int.TryParse(CheckContext.Value(hpa.Node, "spec.maxReplicas"), out var max) && min > max)
            {
                yield return SetFinding.At(this, hpa, CheckContext.Get(hpa.Node, "spec.minReplicas"), "spec.minReplicas", $"minReplicas {min} is above maxReplicas {max}", "Make minReplicas at most maxReplicas.");
            }

            var usesResource = (CheckContext.Get(hpa.Node, "spec.metrics") is YamlSeq metrics && metrics.Any(m => CheckContext.Value(m, "type") == "Resource"))
                || CheckContext.Value(hpa.Node, "spec.targetCPUUtilizationPercentage") is not null;
            if (usesResource && target is not null)
            {
                var context = manifests.ContextOf(target);
                foreach (var c in context.Containers(includeInit: false).Where(c => CheckContext.Value(c.Node, "resources.requests.cpu") is null && CheckContext.Value(c.Node, "resources.requests.memory") is null))
                {
                    yield return SetFinding.At(this, hpa, CheckContext.Get(hpa.Node, "spec.metrics") ?? CheckContext.Get(hpa.Node, "spec"), "spec.metrics",
                        $"utilisation targets need requests, but container '{c.Name}' of {kind}/{name} has none", "Give the target's containers CPU and memory requests.");
                }
            }
        }

        foreach (var scaled in manifests.Documents.Where(d => d.Kind == "ScaledObject"))
        {
            var name = CheckContext.Value(scaled.Node, "spec.scaleTargetRef.name") ?? "";
            var kind = CheckContext.Value(scaled.Node, "spec.scaleTargetRef.kind") ?? "Deployment";
            if (manifests.Find(kind, scaled.Namespace, name) is null)
            {
                yield return SetFinding.At(this, scaled, CheckContext.Get(scaled.Node, "spec.scaleTargetRef"), "spec.scaleTargetRef", $"target {kind}/{name} is not in these manifests", "Fix the target reference.");
            }
        }
    }
}
