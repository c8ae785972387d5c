using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Secrets: TYPE, DATA, AGE.</summary>
public sealed class SecretRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "Secret";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Type", "string", 0, "Used to facilitate programmatic handling of secret data."),
        new("Data", "string", 0, "Number of keys in the secret's data."),
        new("Age", "string", 0, "Time since the secret was created."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var secret = (V1Secret)resource;

        // stringData is merged into data on write; a stored object may still carry it, so count both.
        var keys = (secret.Data?.Keys ?? []).Union(secret.StringData?.Keys ?? [], StringComparer.Ordinal).Count();
        return [secret.Type ?? "Opaque", keys, clock.Since(secret.Metadata.CreationTimestamp)];
    }
}
