namespace Keelson.Validation.Checks;

/// <summary>A container that exposes port 22 runs an SSH server: a second way in that bypasses the API server's audit and RBAC.</summary>
public sealed class SshPortCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "container-ssh-port";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "No container exposes TCP port 22.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        foreach (var c in context.Containers())
        {
            if (CheckContext.Get(c.Node, "ports") is not Loading.YamlSeq ports)
            {
                continue;
            }

            for (var i = 0; i < ports.Count; i++)
            {
                if (CheckContext.Value(ports[i], "containerPort") == "22" && (CheckContext.Value(ports[i], "protocol") ?? "TCP") == "TCP")
                {
                    yield return context.Finding(this, CheckContext.Get(ports[i], "containerPort"), $"{c.Path}.ports[{i}].containerPort",
                        $"container '{c.Name}' exposes port 22 (SSH)", "Remove the SSH server; use kubectl exec or debug, which the API server authorises and audits.");
                }
            }
        }
    }
}
