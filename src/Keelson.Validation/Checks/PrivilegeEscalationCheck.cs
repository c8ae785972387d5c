using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>Without <c>allowPrivilegeEscalation: false</c> a setuid binary can gain more privileges than the container started with.</summary>
public sealed class PrivilegeEscalationCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "container-privilege-escalation";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Containers set allowPrivilegeEscalation: false.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context) =>
        context.Containers()
            .Where(c => !CheckContext.IsFalse(c.Node, "securityContext.allowPrivilegeEscalation"))
            .Select(c => context.Finding(this, CheckContext.Get(c.Node, "securityContext") ?? c.Node, c.Path + ".securityContext.allowPrivilegeEscalation",
                $"container '{c.Name}' allows privilege escalation", "Set securityContext.allowPrivilegeEscalation: false."));
}
