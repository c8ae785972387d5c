using Keelson.Validation.Loading;

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
