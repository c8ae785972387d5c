using YamlDotNet.RepresentationModel;

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
            .Where(c => CheckContext.Value(c.Node, "securityContext.privileged") == "true")
            .Select(c => context.Finding(this, CheckContext.Get(c.Node, "securityContext.privileged"), c.Path + ".securityContext.privileged",
                $"container '{c.Name}' runs privileged", "Remove privileged and add only the capabilities it needs."));
}

/// <summary>Root in a container is root on the host once anything escapes; images should run as a numbered non-root user.</summary>
public sealed class RunAsNonRootCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "container-run-as-root";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Containers are required to run as non-root, and never as user 0.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        if (context.PodSpec is not { } pod)
        {
            yield break;
        }

        var podNonRoot = CheckContext.Value(pod.Node, "securityContext.runAsNonRoot") == "true";
        var podUser = CheckContext.Value(pod.Node, "securityContext.runAsUser");
        foreach (var c in context.Containers())
        {
            var user = CheckContext.Value(c.Node, "securityContext.runAsUser") ?? podUser;
            var nonRoot = CheckContext.Value(c.Node, "securityContext.runAsNonRoot") switch
            {
                "true" => true,
                "false" => false,
                _ => podNonRoot,
            };
            if (user == "0" || !nonRoot)
            {
                yield return context.Finding(this, CheckContext.Get(c.Node, "securityContext") ?? c.Node, c.Path + ".securityContext",
                    user == "0" ? $"container '{c.Name}' runs as user 0 (root)" : $"container '{c.Name}' may run as root: runAsNonRoot is not true",
                    "Set securityContext.runAsNonRoot: true and runAsUser to a non-zero id (for example 10001).");
            }
        }
    }
}

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
            .Where(c => CheckContext.Value(c.Node, "securityContext.allowPrivilegeEscalation") != "false")
            .Select(c => context.Finding(this, CheckContext.Get(c.Node, "securityContext") ?? c.Node, c.Path + ".securityContext.allowPrivilegeEscalation",
                $"container '{c.Name}' allows privilege escalation", "Set securityContext.allowPrivilegeEscalation: false."));
}

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
            var drop = (CheckContext.Get(c.Node, "securityContext.capabilities.drop") as YamlSequenceNode)?.Children.OfType<YamlScalarNode>().Select(s => s.Value).ToList() ?? [];
            var add = (CheckContext.Get(c.Node, "securityContext.capabilities.add") as YamlSequenceNode)?.Children.OfType<YamlScalarNode>().Select(s => s.Value!).Where(a => a != "NET_BIND_SERVICE").ToList() ?? [];
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

/// <summary>A writable root filesystem lets an intruder drop tools into the image; mount an emptyDir where the app must write.</summary>
public sealed class ReadOnlyRootFilesystemCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "container-writable-root";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Containers have a read-only root filesystem.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context) =>
        context.Containers()
            .Where(c => CheckContext.Value(c.Node, "securityContext.readOnlyRootFilesystem") != "true")
            .Select(c => context.Finding(this, CheckContext.Get(c.Node, "securityContext") ?? c.Node, c.Path + ".securityContext.readOnlyRootFilesystem",
                $"container '{c.Name}' can write to its root filesystem", "Set readOnlyRootFilesystem: true and mount emptyDir volumes where it writes (/tmp, caches)."));
}

/// <summary>The RuntimeDefault seccomp profile blocks the syscalls containers never need; without it every syscall is open.</summary>
public sealed class SeccompCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "pod-seccomp";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Pods use the RuntimeDefault (or a Localhost) seccomp profile.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        if (context.PodSpec is not { } pod)
        {
            yield break;
        }

        var podProfile = CheckContext.Value(pod.Node, "securityContext.seccompProfile.type");
        foreach (var c in context.Containers())
        {
            var profile = CheckContext.Value(c.Node, "securityContext.seccompProfile.type") ?? podProfile;
            if (profile is not ("RuntimeDefault" or "Localhost"))
            {
                yield return context.Finding(this, CheckContext.Get(pod.Node, "securityContext") ?? pod.Node, pod.Path + ".securityContext.seccompProfile",
                    $"container '{c.Name}' runs without a seccomp profile", "Set securityContext.seccompProfile.type: RuntimeDefault on the pod.");
                yield break;
            }
        }
    }
}
