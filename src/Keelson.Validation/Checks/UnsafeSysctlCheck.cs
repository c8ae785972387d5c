namespace Keelson.Validation.Checks;

/// <summary>
/// Sysctls outside the kubelet's safe set: the kubelet refuses such a pod (SysctlForbidden) unless the node allows it
/// with <c>--allowed-unsafe-sysctls</c>, and where allowed it changes the kernel for every pod sharing the namespace.
/// </summary>
public sealed class UnsafeSysctlCheck : ICheck
{
    // The kubelet's safe sysctls (pkg/kubelet/sysctl/safe_sysctls.go) as of Kubernetes 1.32; names may use / or . as separator.
    private static readonly HashSet<string> Safe = new(StringComparer.Ordinal)
    {
        "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
        "net.ipv4.ip_unprivileged_port_start", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time",
        "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem",
    };

    /// <inheritdoc/>
    public string Id => "pod-unsafe-sysctl";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Pods set only the kubelet's safe sysctls.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        if (context.PodSpec is not { } pod || CheckContext.Get(pod.Node, "securityContext.sysctls") is not Loading.YamlSeq sysctls)
        {
            yield break;
        }

        for (var i = 0; i < sysctls.Count; i++)
        {
            var name = CheckContext.Value(sysctls[i], "name");
            if (name is null || Safe.Contains(Normalise(name)))
            {
                continue;
            }

            yield return context.Finding(this, CheckContext.Get(sysctls[i], "name"), $"{pod.Path}.securityContext.sysctls[{i}].name",
                $"sysctl '{name}' is not in the kubelet's safe set: the pod is refused (SysctlForbidden) on nodes that do not allow it",
                "Drop it, set it on the node instead, or run on a pool whose kubelet lists it in --allowed-unsafe-sysctls (and say so with a nodeSelector).");
        }
    }

    // The kubelet accepts both net.ipv4.x and net/ipv4/x; a '.' inside a '/'-separated name stays (it is part of an interface name).
    private static string Normalise(string name) => name.Contains('/', StringComparison.Ordinal) ? name.Replace('.', '\u0000').Replace('/', '.').Replace('\u0000', '/') : name;
}
