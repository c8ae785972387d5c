using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>Root in a container is root on the host once anything escapes; images should run as a numbered non-root user.</summary>
public sealed class RunAsNonRootCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "container-run-as-root";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Containers run as a non-zero runAsUser or are required to run as non-root, and never as user 0.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        if (context.PodSpec is not { } pod)
        {
            yield break;
        }

        var podNonRoot = CheckContext.IsTrue(pod.Node, "securityContext.runAsNonRoot");
        var podUser = CheckContext.Value(pod.Node, "securityContext.runAsUser");
        foreach (var c in context.Containers())
        {
            var user = CheckContext.Value(c.Node, "securityContext.runAsUser") ?? podUser;
            // A numeric non-zero runAsUser is itself a non-root guarantee (kube-linter's rule): runAsNonRoot adds nothing to it.
            var nonRoot = CheckContext.IsTrue(c.Node, "securityContext.runAsNonRoot")
                || (podNonRoot && !CheckContext.IsFalse(c.Node, "securityContext.runAsNonRoot"))
                || (long.TryParse(user, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var uid) && uid > 0);
            if (user == "0" || !nonRoot)
            {
                yield return context.Finding(this, CheckContext.Get(c.Node, "securityContext") ?? c.Node, c.Path + ".securityContext",
                    user == "0" ? $"container '{c.Name}' runs as user 0 (root)" : $"container '{c.Name}' may run as root: neither runAsNonRoot: true nor a non-zero runAsUser is set",
                    "Set securityContext.runAsNonRoot: true and runAsUser to a non-zero id (for example 10001).");
            }
        }
    }
}
