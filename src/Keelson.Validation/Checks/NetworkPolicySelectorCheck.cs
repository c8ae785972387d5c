using System.Globalization;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>A NetworkPolicy whose pod selector matches nothing protects nothing.</summary>
public sealed class NetworkPolicySelectorCheck : ISetCheck
{
    /// <inheritdoc/>
    public string Id => "networkpolicy-selector";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "NetworkPolicies select some pod.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        foreach (var policy in manifests.Documents.Where(d => d.Kind == "NetworkPolicy"))
        {
            var selector = ManifestSet.Map(CheckContext.Get(policy.Node, "spec.podSelector.matchLabels") as YamlMap);
            if (selector.Count > 0 && !manifests.PodLabels(policy.Namespace).Any(p => ManifestSet.Matches(selector, p.Labels)))
            {
                yield return SetFinding.At(this, policy, CheckContext.Get(policy.Node, "spec.podSelector"), "spec.podSelector", "the policy selects no pod template in these manifests", "Match the labels of the pods it should protect.");
            }
        }
    }
}
