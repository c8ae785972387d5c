using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Engine;

/// <summary>
/// The load a stack was sized for, as a steady demand: each autoscaled workload needs its planned replicas ×
/// CPU request × target utilisation, so its HPA reads the target and holds the planned replicas.
/// </summary>
public static class PlannedLoad
{
    /// <summary>The steady demand implied by the HPAs and their targets among <paramref name="objects"/>.</summary>
    public static SteadyLoad From(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects) => new(Demand(objects));

    /// <summary>CPU millicores per autoscaled workload (<c>namespace/name</c>) at the sized peak.</summary>
    public static IReadOnlyDictionary<string, double> Demand(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects)
    {
        var list = objects.ToList();
        var demand = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var hpa in list.OfType<V2HorizontalPodAutoscaler>())
        {
            var target = hpa.Spec.Metrics?.FirstOrDefault(m => m.Type == "Resource" && m.Resource?.Name == "cpu")?.Resource.Target?.AverageUtilization;
            var reference = hpa.Spec.ScaleTargetRef;
            var workload = list.FirstOrDefault(o => o.Kind == reference.Kind && o.Metadata.Name == reference.Name && o.Metadata.NamespaceProperty == hpa.Metadata.NamespaceProperty);
            var (replicas, spec) = workload switch
            {
                V1Deployment d => (d.Spec.Replicas ?? 1, d.Spec.Template.Spec),
                V1StatefulSet s => (s.Spec.Replicas ?? 1, s.Spec.Template.Spec),
                _ => (0, null),
            };
            if (target is { } percent && spec is not null)
            {
                demand[$"{hpa.Metadata.NamespaceProperty}/{reference.Name}"] = replicas * PodResources.Request(spec, "cpu", milli: true) * percent / 100.0;
            }
        }

        return demand;
    }
}
