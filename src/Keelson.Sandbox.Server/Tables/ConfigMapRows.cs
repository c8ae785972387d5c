using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Config maps: DATA, AGE.</summary>
public sealed class ConfigMapRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "ConfigMap";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Data", "string", 0, "Number of keys in data and binaryData."),
        new("Age", "string", 0, "Time since the config map was created."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var map = (V1ConfigMap)resource;
        return [(map.Data?.Count ?? 0) + (map.BinaryData?.Count ?? 0), clock.Since(map.Metadata.CreationTimestamp)];
    }
}
