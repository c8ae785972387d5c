using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Endpoints: ENDPOINTS (the first three <c>ip:port</c>, then a count), AGE.</summary>
public sealed class EndpointsRows : IRowPrinter
{
    private const int Shown = 3;

    /// <inheritdoc/>
    public string Kind => "Endpoints";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Endpoints", "string", 0, "Ready addresses and ports of the endpoints."),
        new("Age", "string", 0, "Time since the endpoints were created."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var endpoints = (V1Endpoints)resource;
        return [Format(endpoints.Subsets), clock.Since(endpoints.Metadata.CreationTimestamp)];
    }

    private static string Format(IList<V1EndpointSubset>? subsets)
    {
        var all = new List<string>();
        foreach (var subset in subsets ?? [])
        {
            var addresses = (subset.Addresses ?? []).Select(a => a.Ip).ToList();
            if (subset.Ports is not { Count: > 0 })
            {
                all.AddRange(addresses);
                continue;
            }

            foreach (var port in subset.Ports)
            {
                all.AddRange(addresses.Select(ip => string.Create(CultureInfo.InvariantCulture, $"{ip}:{port.Port}")));
            }
        }

        if (all.Count == 0)
        {
            return "<none>";
        }

        var shown = string.Join(',', all.Take(Shown));
        return all.Count > Shown ? string.Create(CultureInfo.InvariantCulture, $"{shown} + {all.Count - Shown} more...") : shown;
    }
}
