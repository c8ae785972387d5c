using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Quotas: AGE, REQUEST, LIMIT, each <c>resource: used/hard</c> (limits.* under LIMIT, the rest under REQUEST).</summary>
public sealed class ResourceQuotaRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "ResourceQuota";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Age", "string", 0, "Time since the quota was created."),
        new("Request", "string", 0, "Request represents a minimum amount of cpu/memory that a container may consume."),
        new("Limit", "string", 0, "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var quota = (V1ResourceQuota)resource;
        var requests = new List<string>();
        var limits = new List<string>();
        foreach (var (name, hard) in (quota.Spec?.Hard ?? new Dictionary<string, ResourceQuantity>()).OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            var used = quota.Status?.Used is { } all && all.TryGetValue(name, out var value) ? value.ToString() : "0";
            (name.StartsWith("limits", StringComparison.Ordinal) ? limits : requests).Add($"{name}: {used}/{hard}");
        }

        return [clock.Since(quota.Metadata.CreationTimestamp), string.Join(", ", requests), string.Join(", ", limits)];
    }
}
