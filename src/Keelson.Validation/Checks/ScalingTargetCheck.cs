using System.Globalization;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>Autoscalers must point at something, with sane bounds, and utilisation metrics need requests to measure against.</summary>
public sealed class ScalingTargetCheck : ISetCheck
{
    /// <inheritdoc/>
    public string Id => "scaling-target";

    /// <inheritdoc/>
    public Severity Severity => Severity.Error;

    /// <inheritdoc/>
    public string Description => "HPA and ScaledObject targets exist, a ScaledObject's min ≤ max (an HPA's is hpa-min-above-max), and resource utilisation metrics have requests of that resource to measure against.";

    /// <summary>A utilisation metric: the resource it measures, the one container it is limited to (or null), and where it is written.</summary>
    private readonly record struct Utilisation(string Resource, string? Container, YamlElement Node, string Path);

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        foreach (var hpa in manifests.AllOfKind("HorizontalPodAutoscaler"))
        {
            var target = Target(manifests, hpa, defaultKind: "");
            if (target.Finding is { } missing)
            {
                yield return missing;
            }

            // min > max on an HPA is the API server's own rule (hpa-min-above-max); reporting it here too doubled the finding.
            foreach (var finding in MissingRequests(manifests, hpa, target.Document, HpaUtilisation(hpa)))
            {
                yield return finding;
            }
        }

        foreach (var scaled in manifests.AllOfKind("ScaledObject"))
        {
            // KEDA scales a Deployment unless scaleTargetRef names another kind, and defaults to 0..100 replicas.
            var target = Target(manifests, scaled, defaultKind: "Deployment");
            if (target.Finding is { } missing)
            {
                yield return missing;
            }

            if (Bounds(scaled, "spec.minReplicaCount", "spec.maxReplicaCount", defaultMin: 0, defaultMax: 100) is { } bounds)
            {
                yield return bounds;
            }

            foreach (var finding in MissingRequests(manifests, scaled, target.Document, KedaUtilisation(scaled)))
            {
                yield return finding;
            }
        }
    }

    private (ManifestDocument? Document, Finding? Finding) Target(ManifestSet manifests, ManifestDocument scaler, string defaultKind)
    {
        var kind = CheckContext.Value(scaler.Node, "spec.scaleTargetRef.kind") ?? defaultKind;
        var name = CheckContext.Value(scaler.Node, "spec.scaleTargetRef.name") ?? "";
        return manifests.Find(kind, scaler.Namespace, name) is { } target
            ? (target, null)
            : (null, SetFinding.External(this, scaler, CheckContext.Get(scaler.Node, "spec.scaleTargetRef"), "spec.scaleTargetRef", $"target {kind}/{name} is not in these manifests; it must already exist in the cluster", "Fix the target reference, or apply the target with its autoscaler."));
    }

    private Finding? Bounds(ManifestDocument scaler, string minPath, string maxPath, int defaultMin, int? defaultMax)
    {
        var min = Integer(scaler, minPath) ?? defaultMin;
        return (Integer(scaler, maxPath) ?? defaultMax) is { } max && min > max
            ? SetFinding.At(this, scaler, CheckContext.Get(scaler.Node, minPath) ?? CheckContext.Get(scaler.Node, maxPath), minPath,
                $"{minPath[(minPath.LastIndexOf('.') + 1)..]} {min} is above {maxPath[(maxPath.LastIndexOf('.') + 1)..]} {max}", "Make the minimum at most the maximum.")
            : null;
    }

    private static int? Integer(ManifestDocument document, string path) =>
        int.TryParse(CheckContext.Value(document.Node, path), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Resource and ContainerResource metrics with a Utilization target, and the v1 CPU percentage.</summary>
    private static IEnumerable<Utilisation> HpaUtilisation(ManifestDocument hpa)
    {
        if (CheckContext.Get(hpa.Node, "spec.targetCPUUtilizationPercentage") is { } v1)
        {
            yield return new Utilisation("cpu", null, v1, "spec.targetCPUUtilizationPercentage");
        }

        if (CheckContext.Get(hpa.Node, "spec.metrics") is not YamlSeq metrics)
        {
            yield break;
        }

        for (var i = 0; i < metrics.Count; i++)
        {
            var source = CheckContext.Value(metrics[i], "type") switch { "Resource" => "resource", "ContainerResource" => "containerResource", _ => null };
            if (source is null || CheckContext.Get(metrics[i], source) is not YamlMap metric || metric.Scalar("name") is not { } resource)
            {
                continue;
            }

            // An AverageValue target is compared with raw usage and needs no request; v2beta1 wrote targetAverageUtilization.
            if (CheckContext.Value(metric, "target.type") == "Utilization" || metric.ContainsKey("targetAverageUtilization"))
            {
                yield return new Utilisation(resource, source == "containerResource" ? metric.Scalar("container") : null, metrics[i], $"spec.metrics[{i}]");
            }
        }
    }

    /// <summary>KEDA cpu and memory triggers, which measure utilisation unless their metricType says otherwise.</summary>
    private static IEnumerable<Utilisation> KedaUtilisation(ManifestDocument scaled)
    {
        if (CheckContext.Get(scaled.Node, "spec.triggers") is not YamlSeq triggers)
        {
            yield break;
        }

        for (var i = 0; i < triggers.Count; i++)
        {
            var metricType = CheckContext.Value(triggers[i], "metricType") ?? CheckContext.Value(triggers[i], "metadata.type") ?? "Utilization";
            if (CheckContext.Value(triggers[i], "type") is "cpu" or "memory" && metricType == "Utilization")
            {
                yield return new Utilisation(CheckContext.Value(triggers[i], "type")!, CheckContext.Value(triggers[i], "metadata.containerName"), triggers[i], $"spec.triggers[{i}]");
            }
        }
    }

    private IEnumerable<Finding> MissingRequests(ManifestSet manifests, ManifestDocument scaler, ManifestDocument? target, IEnumerable<Utilisation> metrics)
    {
        if (target is null)
        {
            yield break;
        }

        var containers = manifests.ContextOf(target).Containers(includeInit: false).ToList();
        var of = $"{target.Kind}/{target.Name}";
        foreach (var metric in metrics)
        {
            if (metric.Container is { } named && containers.All(c => c.Name != named))
            {
                yield return SetFinding.At(this, scaler, metric.Node, metric.Path, $"the metric measures container '{named}', which {of} does not have", "Name one of the target's containers.");
                continue;
            }

            // A container with only a limit gets a request equal to it, so a limit counts.
            foreach (var c in containers.Where(c => (metric.Container is null || c.Name == metric.Container) && !Declares(c, "requests", metric.Resource) && !Declares(c, "limits", metric.Resource)))
            {
                yield return SetFinding.At(this, scaler, metric.Node, metric.Path,
                    $"{metric.Resource} utilisation is measured against requests, but container '{c.Name}' of {of} has no {metric.Resource} request",
                    $"Give the container a {metric.Resource} request, or target an AverageValue instead of a utilisation.");
            }
        }
    }

    private static bool Declares(ContainerNode container, string section, string resource) =>
        (CheckContext.Get(container.Node, "resources." + section) as YamlMap)?.ContainsKey(resource) == true;
}
