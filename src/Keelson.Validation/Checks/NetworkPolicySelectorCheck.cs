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
        foreach (var policy in manifests.AllOfKind("NetworkPolicy"))
        {
            // An empty podSelector selects every pod of the namespace, so it always protects something.
            var selector = LabelSelector.Parse(CheckContext.Get(policy.Node, "spec.podSelector")) ?? LabelSelector.Everything;
            if (!selector.IsEmpty && !manifests.Selected(selector, policy.Namespace).Any())
            {
                yield return SetFinding.Unmatched(this, manifests, policy, CheckContext.Get(policy.Node, "spec.podSelector"), "spec.podSelector", "the policy selects no pod template in these manifests", "Match the labels of the pods it should protect.");
            }
        }
    }
}
