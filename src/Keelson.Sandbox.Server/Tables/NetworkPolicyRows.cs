using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Network policies: POD-SELECTOR, AGE.</summary>
public sealed class NetworkPolicyRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "NetworkPolicy";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Pod-Selector", "string", 0, "The pods the policy applies to."),
        new("Age", "string", 0, "Time since the policy was created."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var policy = (V1NetworkPolicy)resource;
        return [Selectors.Format(policy.Spec?.PodSelector), clock.Since(policy.Metadata.CreationTimestamp)];
    }
}
