using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Any other kind: AGE only, as the API server prints custom resources without printer columns.</summary>
public sealed class DefaultRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "*";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } = [new("Age", "string", 0, "Time since the object was created.")];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock) => [clock.Since(resource.Metadata.CreationTimestamp)];
}
