using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

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
