namespace Keelson.Validation.Checks;

/// <summary>Which host paths give a pod the node itself: its configuration, kernel interfaces, binaries or the container runtime.</summary>
internal static class HostPaths
{
    // kube-linter's sensitive-host-mounts list and docker-sock, widened to the other runtimes' sockets and the kubelet's own state.
    private static readonly string[] Sensitive =
    [
        "/", "/boot", "/dev", "/etc", "/lib", "/lib64", "/proc", "/root", "/sys", "/usr", "/bin", "/sbin",
        "/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd",
        "/var/run/docker.sock", "/run/docker.sock", "/var/run/containerd", "/run/containerd", "/var/run/crio", "/run/crio",
    ];

    /// <summary>The sensitive path <paramref name="path"/> is or lies under, or null.</summary>
    public static string? SensitiveRoot(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            return null;
        }

        var normal = path.Length > 1 ? path.TrimEnd('/') : path;
        if (normal.Length == 0)
        {
            normal = "/";
        }

        return Sensitive.FirstOrDefault(s => s == "/" ? normal == "/" : normal == s || normal.StartsWith(s + "/", StringComparison.Ordinal));
    }

    /// <summary>True for the sockets through which a pod controls every container on the node.</summary>
    public static bool IsRuntimeSocket(string root) => root.Contains("docker", StringComparison.Ordinal) || root.Contains("containerd", StringComparison.Ordinal) || root.Contains("crio", StringComparison.Ordinal);
}
