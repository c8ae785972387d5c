using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>A liveness probe identical to the readiness probe restarts a container that is merely busy, turning load into restarts.</summary>
public sealed class IdenticalProbesCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "probes-identical";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Liveness and readiness probes are not identical.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        foreach (var c in context.Containers(includeInit: false))
        {
            if (CheckContext.Get(c.Node, "livenessProbe") is YamlMap liveness && CheckContext.Get(c.Node, "readinessProbe") is YamlMap readiness
                && YamlElement.SameContent(liveness, readiness))
            {
                yield return context.Finding(this, liveness, c.Path + ".livenessProbe", $"container '{c.Name}' uses the same probe for liveness and readiness",
                    "Point liveness at a cheap endpoint that reports only deadlock (e.g. /healthz) and readiness at one that reports dependencies (e.g. /readyz), or give liveness a higher failureThreshold.");
            }
        }
    }
}
