using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>Privileged containers have every capability and the host's devices: a breakout is one bug away.</summary>
public sealed class PrivilegedCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "container-privileged";

    /// <inheritdoc/>
    public Severity Severity => Severity.Error;

    /// <inheritdoc/>
    public string Description => "No container runs privileged.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context) =>
        context.Containers()
            .Where(c => CheckContext.IsTrue(c.Node, "securityContext.privileged"))
            .Select(c => context.Finding(this, CheckContext.Get(c.Node, "securityContext.privileged"), c.Path + ".securityContext.privileged",
                $"container '{c.Name}' runs privileged", "Remove privileged and add only the capabilities it needs."));
}
