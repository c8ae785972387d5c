using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>Long-running containers need readiness (traffic only when ready) and liveness (restart when stuck), and the two must differ.</summary>
public sealed class ProbesCheck : ICheck
{
    private static readonly string[] Probes = ["readinessProbe", "livenessProbe"];

    /// <inheritdoc/>
    public string Id => "container-probes";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Long-running containers have readiness and liveness probes.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        if (!context.LongRunning)
        {
            yield break;
        }

        foreach (var c in context.Containers(includeInit: false))
        {
            var missing = Probes.Where(p => CheckContext.Get(c.Node, p) is null).ToList();
            if (missing.Count > 0)
            {
                yield return context.Finding(this, c.Node, c.Path, $"container '{c.Name}' has no {string.Join(" or ", missing)}",
                    "Add a readiness probe that fails while the container cannot serve, and a liveness probe that fails only when it must be restarted.");
            }
        }
    }
}
