using System.Text.RegularExpressions;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>NodePort and LoadBalancer Services open the workload beyond the cluster; an Ingress usually serves HTTP better.</summary>
public sealed class ServiceTypeCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "service-type";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Services are ClusterIP unless exposure is intended.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        if (context.Document.Kind == "Service" && CheckContext.Value(context.Document.Node, "spec.type") is "NodePort" or "LoadBalancer" && CheckContext.Get(context.Document.Node, "spec.type") is { } type)
        {
            yield return context.Finding(this, type, "spec.type", $"the Service is of type {((YamlValue)type).Value}, exposed outside the cluster",
                "Use ClusterIP behind an Ingress for HTTP; skip this check with keelson.dev/skip: service-type when exposure is intended.");
        }
    }
}
