using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>hostPath volumes of the node's own system paths or the container runtime's socket: root on the node in all but name.</summary>
public sealed class SensitiveHostMountCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "pod-sensitive-host-mount";

    /// <inheritdoc/>
    public Severity Severity => Severity.Error;

    /// <inheritdoc/>
    public string Description => "Pods do not mount the node's system directories (/etc, /proc, /sys, /var/lib/kubelet, ...) or a container runtime socket.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        if (context.PodSpec is not { } pod || CheckContext.Get(pod.Node, "volumes") is not YamlSeq volumes)
        {
            yield break;
        }

        for (var i = 0; i < volumes.Count; i++)
        {
            var path = CheckContext.Value(volumes[i], "hostPath.path");
            if (HostPaths.SensitiveRoot(path) is not { } root)
            {
                continue;
            }

            var name = CheckContext.Value(volumes[i], "name");
            yield return HostPaths.IsRuntimeSocket(root)
                ? context.Finding(this, CheckContext.Get(volumes[i], "hostPath.path"), $"{pod.Path}.volumes[{i}].hostPath.path",
                    $"volume '{name}' mounts the container runtime's socket '{path}': whoever controls the pod controls every container on the node",
                    "Do not mount the runtime socket; build images with a rootless builder (BuildKit rootless, kaniko) and read container state through the Kubernetes API.")
                : context.Finding(this, CheckContext.Get(volumes[i], "hostPath.path"), $"{pod.Path}.volumes[{i}].hostPath.path",
                    $"volume '{name}' mounts the node's '{path}' (under {root})",
                    "Mount only the narrow path the workload needs, read-only, or use a PersistentVolumeClaim, a ConfigMap or the downward API.");
        }
    }
}
