using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>Containers should drop every Linux capability and add back only what they need; added capabilities widen the attack surface.</summary>
public sealed class CapabilitiesCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "container-capabilities";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Containers drop ALL capabilities and add none beyond NET_BIND_SERVICE.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        foreach (var c in context.Containers())
        {
            var drop = (CheckContext.Get(c.Node, "securityContext.capabilities.drop") as YamlSeq)?.OfType<YamlValue>().Select(s => s.Value).ToList() ?? [];
            var add = (CheckContext.Get(c.Node, "securityContext.capabilities.add") as YamlSeq)?.OfType<YamlValue>().Select(s => s.Value).Where(a => a != "NET_BIND_SERVICE").ToList() ?? [];
            if (!drop.Contains("ALL"))
            {
                yield return context.Finding(this, CheckContext.Get(c.Node, "securityContext") ?? c.Node, c.Path + ".securityContext.capabilities.drop",
                    $"container '{c.Name}' keeps the default capabilities", "Add securityContext.capabilities.drop: [ALL].");
            }

            if (add.Count > 0)
            {
                yield return context.Finding(this, CheckContext.Get(c.Node, "securityContext.capabilities.add"), c.Path + ".securityContext.capabilities.add",
                    $"container '{c.Name}' adds {string.Join(", ", add)}", "Remove added capabilities, or document why the container needs each one and skip this check for it.");
            }
        }
    }
}
