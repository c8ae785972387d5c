using System.Globalization;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>A StatefulSet's serviceName must name a headless Service, or its pods get no stable DNS names.</summary>
public sealed class StatefulSetServiceCheck : ISetCheck
{
    /// <inheritdoc/>
    public string Id => "statefulset-service";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "StatefulSets name an existing headless Service.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        foreach (var sts in manifests.Documents.Where(d => d.Kind == "StatefulSet"))
        {
            var name = CheckContext.Value(sts.Node, "spec.serviceName");
            var service = name is null ? null : manifests.Find("Service", sts.Namespace, name);
            if (service is null || CheckContext.Value(service.Node, "spec.clusterIP") != "None")
            {
                yield return SetFinding.At(this, sts, CheckContext.Get(sts.Node, "spec.serviceName") ?? CheckContext.Get(sts.Node, "spec"), "spec.serviceName",
                    service is null ? $"serviceName '{name}' names no Service in these manifests" : $"Service '{name}' is not headless",
                    "Add a Service with clusterIP: None and the StatefulSet's selector.");
            }
        }
    }
}
