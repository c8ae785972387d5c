using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Ingresses: CLASS, HOSTS, ADDRESS, PORTS, AGE.</summary>
public sealed class IngressRows : IRowPrinter
{
    private const int Shown = 3;

    /// <inheritdoc/>
    public string Kind => "Ingress";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Class", "string", 0, "The name of the IngressClass resource."),
        new("Hosts", "string", 0, "Hosts that incoming requests are matched against before the ingress rule"),
        new("Address", "string", 0, "Address is a list containing ingress points for the load-balancer"),
        new("Ports", "string", 0, "Ports of TLS configurations that open"),
        new("Age", "string", 0, "Time since the ingress was created."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var ingress = (V1Ingress)resource;
        var addresses = (ingress.Status?.LoadBalancer?.Ingress ?? []).Select(i => string.IsNullOrEmpty(i.Ip) ? i.Hostname : i.Ip);
        return
        [
            ingress.Spec?.IngressClassName ?? "<none>",
            Hosts(ingress.Spec?.Rules),
            string.Join(',', addresses),
            ingress.Spec?.Tls is { Count: > 0 } ? "80, 443" : "80",
            clock.Since(ingress.Metadata.CreationTimestamp),
        ];
    }

    // A rule without a host matches every host: "*".
    private static string Hosts(IList<V1IngressRule>? rules)
    {
        var hosts = (rules ?? []).Select(r => string.IsNullOrEmpty(r.Host) ? "*" : r.Host).ToList();
        if (hosts.Count == 0)
        {
            return "*";
        }

        var shown = string.Join(',', hosts.Take(Shown));
        return hosts.Count > Shown ? string.Create(CultureInfo.InvariantCulture, $"{shown} + {hosts.Count - Shown} more...") : shown;
    }
}
