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
                // kube-score accepts the alpha annotations; current Kubernetes ignores them, so they are named, not counted.
                var annotated = Annotations(context).Any(a => a.StartsWith("seccomp.security.alpha.kubernetes.io/", StringComparison.Ordinal)
                    || a.StartsWith("container.seccomp.security.alpha.kubernetes.io/", StringComparison.Ordinal));
                yield return context.Finding(this, CheckContext.Get(pod.Node, "securityContext") ?? pod.Node, pod.Path + ".securityContext.seccompProfile",
                    annotated
                        ? $"container '{c.Name}' relies on the seccomp.security.alpha.kubernetes.io annotation, deprecated since Kubernetes 1.19 and no longer applied by current releases"
                        : $"container '{c.Name}' runs without a seccomp profile",
                    "Set securityContext.seccompProfile.type: RuntimeDefault on the pod.");
                yield break;
            }
        }
    }

    private static IEnumerable<string> Annotations(CheckContext context)
    {
        var metadata = context.Document.Kind == "Pod" ? "metadata" : context.PodSpec!.Path[..^"spec".Length] + "metadata";
        return CheckContext.Get(context.Document.Node, metadata + ".annotations") is YamlMap annotations ? annotations.Entries.Select(e => e.Key) : [];
    }
}
