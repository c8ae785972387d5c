using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Leases: HOLDER, AGE.</summary>
public sealed class LeaseRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "Lease";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Holder", "string", 0, "The identity of the holder of the lease."),
        new("Age", "string", 0, "Time since the lease was created."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var lease = (V1Lease)resource;
        return [lease.Spec?.HolderIdentity ?? "", clock.Since(lease.Metadata.CreationTimestamp)];
    }
}
