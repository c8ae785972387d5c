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
        foreach (var service in manifests.Documents.Where(d => d.Kind == "Service"))
        {
            if (CheckContext.Get(service.Node, "spec.selector") is not YamlMap selectorNode)
            {
                continue;
            }

            var selector = ManifestSet.Map(selectorNode);
            if (!manifests.PodLabels(service.Namespace).Any(p => ManifestSet.Matches(selector, p.Labels)))
            {
                yield return SetFinding.At(this, service, selectorNode, "spec.selector",
                    $"selector {string.Join(",", selector.Select(s => $"{s.Key}={s.Value}"))} matches no pod template in these manifests",
                    "Make the selector match the workload's spec.template.metadata.labels.");
            }
        }
    }
}
