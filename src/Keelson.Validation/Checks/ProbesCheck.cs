using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>
/// Long-running containers need a liveness probe (restart when stuck); a readiness probe (traffic only when ready)
/// matters only where traffic arrives, so it is required when a Service in the files selects the pod — kube-score's rule.
/// </summary>
public sealed class ProbesCheck : ISetCheck
{
    /// <inheritdoc/>
    public string Id => "container-probes";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Long-running containers have a liveness probe, and a readiness probe when a Service selects their pods.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(ManifestSet manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var served = new HashSet<ManifestDocument>(ReferenceEqualityComparer.Instance);
        foreach (var service in manifests.AllOfKind("Service"))
        {
            if (LabelSelector.FromMap(CheckContext.Get(service.Node, "spec.selector")) is { IsEmpty: false } selector)
            {
                served.UnionWith(manifests.Selected(selector, service.Namespace));
            }
        }

        foreach (var document in manifests.Documents)
        {
            var context = manifests.ContextOf(document);
            if (!context.LongRunning)
            {
                continue;
            }

            string[] probes = served.Contains(document) ? ["readinessProbe", "livenessProbe"] : ["livenessProbe"];
            foreach (var c in context.Containers(includeInit: false))
            {
                var missing = probes.Where(p => CheckContext.Get(c.Node, p) is null).ToList();
                if (missing.Count > 0)
                {
                    yield return SetFinding.At(this, document, c.Node, c.Path, $"container '{c.Name}' has no {string.Join(" or ", missing)}{(missing.Contains("readinessProbe") ? " (a Service sends it traffic)" : "")}",
                        missing.Contains("readinessProbe")
                            ? "Add a readiness probe that fails while the container cannot serve, and a liveness probe that fails only when it must be restarted."
                            : "Add a liveness probe that fails only when the container must be restarted.");
                }
            }
        }
    }
}
