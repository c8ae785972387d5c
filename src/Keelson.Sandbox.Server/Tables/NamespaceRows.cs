using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Namespaces: STATUS, AGE.</summary>
public sealed class NamespaceRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "Namespace";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Status", "string", 0, "The status of the namespace"),
        new("Age", "string", 0, "Time since the namespace was created."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var ns = (V1Namespace)resource;
        return [ns.Status?.Phase ?? "Active", clock.Since(ns.Metadata.CreationTimestamp)];
    }
}
