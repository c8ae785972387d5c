using System.Globalization;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>A Service whose selector matches no pod template sends traffic nowhere.</summary>
public sealed class ServiceSelectorCheck : ISetCheck
{
    /// <inheritdoc/>
    public string Id => "service-selector";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Every Service selector matches the pod template of some workload.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        foreach (var service in manifests.AllOfKind("Service"))
        {
            if (CheckContext.Get(service.Node, "spec.selector") is not YamlMap selectorNode)
            {
                continue;
            }

            var selector = LabelSelector.FromMap(selectorNode)!;
            if (!manifests.Selected(selector, service.Namespace).Any())
            {
                yield return SetFinding.Unmatched(this, manifests, service, selectorNode, "spec.selector",
                    $"selector {selector} matches no pod template in these manifests",
                    "Make the selector match the workload's spec.template.metadata.labels.");
            }
        }
    }
}
