using Keelson.Validation.Loading;

namespace Keelson.Validation.Checks;

/// <summary>hostPath volumes expose the node's filesystem to the pod and pin it to one node's files.</summary>
public sealed class HostPathCheck : ICheck
{
    /// <inheritdoc/>
    public string Id => "pod-host-path";

    /// <inheritdoc/>
    public Severity Severity => Severity.Warning;

    /// <inheritdoc/>
    public string Description => "Pods do not mount hostPath volumes.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        if (context.PodSpec is not { } pod || CheckContext.Get(pod.Node, "volumes") is not YamlSeq volumes)
        {
            yield break;
        }

        for (var i = 0; i < volumes.Count; i++)
        {
            // The node's system paths and runtime sockets are pod-sensitive-host-mount's, at error: one finding per problem.
            if (CheckContext.Get(volumes[i], "hostPath") is { } hostPath && HostPaths.SensitiveRoot(CheckContext.Value(hostPath, "path")) is null)
            {
                yield return context.Finding(this, hostPath, $"{pod.Path}.volumes[{i}].hostPath",
                    $"volume '{CheckContext.Value(volumes[i], "name")}' mounts the host path '{CheckContext.Value(hostPath, "path")}'",
                    "Use a PersistentVolumeClaim, an emptyDir, or a ConfigMap instead.");
            }
        }
    }
}
