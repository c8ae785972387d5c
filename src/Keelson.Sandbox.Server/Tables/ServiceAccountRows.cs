using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Service accounts: SECRETS, AGE.</summary>
public sealed class ServiceAccountRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "ServiceAccount";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Secrets", "string", 0, "Secrets listed by the service account."),
        new("Age", "string", 0, "Time since the service account was created."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var account = (V1ServiceAccount)resource;
        return [account.Secrets?.Count ?? 0, clock.Since(account.Metadata.CreationTimestamp)];
    }
}
