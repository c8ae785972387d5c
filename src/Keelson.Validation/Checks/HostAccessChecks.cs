using YamlDotNet.RepresentationModel;

namespace Keelson.Validation.Checks;

/// <summary>Sharing the host's network, process or IPC namespace removes the isolation a pod relies on.</summary>
public sealed class HostNamespacesCheck : ICheck
{
    private static readonly string[] Fields = ["hostNetwork", "hostPID", "hostIPC"];

    /// <inheritdoc/>
    public string Id => "pod-host-namespaces";

    /// <inheritdoc/>
    public Severity Severity => Severity.Error;

    /// <inheritdoc/>
    public string Description => "Pods do not use hostNetwork, hostPID or hostIPC.";

    /// <inheritdoc/>
    public IEnumerable<Finding> Run(CheckContext context)
    {
        if (context.PodSpec is not { } pod)
        {
            yield break;
        }

        foreach (var field in Fields)
        {
            if (CheckContext.Value(pod.Node, field) == "true")
            {
                yield return context.Finding(this, CheckContext.Get(pod.Node, field), $"{pod.Path}.{field}", $"the pod sets {field}: true",
                    "Remove it; use a Service, or a DaemonSet with narrow capabilities for node agents.");
            }
        }
    }
}

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
        if (context.PodSpec is not { } pod || CheckContext.Get(pod.Node, "volumes") is not YamlSequenceNode volumes)
        {
            yield break;
        }

        for (var i = 0; i < volumes.Children.Count; i++)
        {
            if (CheckContext.Get(volumes.Children[i], "hostPath") is { } hostPath)
            {
                yield return context.Finding(this, hostPath, $"{pod.Path}.volumes[{i}].hostPath",
                    $"volume '{CheckContext.Value(volumes.Children[i], "name")}' mounts the host path '{CheckContext.Value(hostPath, "path")}'",
                    "Use a PersistentVolumeClaim, an emptyDir, or a ConfigMap instead.");
            }
        }
    }
}
