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
        foreach (var sts in manifests.AllOfKind("StatefulSet"))
        {
            var name = CheckContext.Value(sts.Node, "spec.serviceName");
            var service = name is null ? null : manifests.Find("Service", sts.Namespace, name);
            var at = CheckContext.Get(sts.Node, "spec.serviceName") ?? CheckContext.Get(sts.Node, "spec");
            if (name is null)
            {
                yield return SetFinding.At(this, sts, at, "spec.serviceName", "the StatefulSet names no governing Service (spec.serviceName)", "Add a Service with clusterIP: None and the StatefulSet's selector, and name it here.");
            }
            else if (service is null)
            {
                yield return SetFinding.External(this, sts, at, "spec.serviceName", $"serviceName '{name}' names no Service in these manifests; it must already exist in the cluster", "Add a Service with clusterIP: None and the StatefulSet's selector.");
            }
            else if (CheckContext.Value(service.Node, "spec.clusterIP") != "None")
            {
                yield return SetFinding.At(this, sts, at, "spec.serviceName", $"Service '{name}' is not headless", "Give the Service clusterIP: None.");
            }
        }
    }
}
