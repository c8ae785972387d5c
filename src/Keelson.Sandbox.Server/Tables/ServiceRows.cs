using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Services: TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S), AGE; wide adds SELECTOR.</summary>
public sealed class ServiceRows : IRowPrinter
{
    /// <inheritdoc/>
    public string Kind => "Service";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Type", "string", 0, "The type of the service."),
        new("Cluster-IP", "string", 0, "The cluster IP of the service."),
        new("External-IP", "string", 0, "The external IP of the service."),
        new("Port(s)", "string", 0, "The ports of the service."),
        new("Age", "string", 0, "Time since the service was created."),
        new("Selector", "string", 1, "The label selector of the service."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var service = (V1Service)resource;
        var spec = service.Spec;
        var ports = (spec?.Ports ?? []).Select(p => p.NodePort is { } node ? $"{p.Port}:{node}/{p.Protocol ?? "TCP"}" : $"{p.Port}/{p.Protocol ?? "TCP"}");
        return
        [
            spec?.Type ?? "ClusterIP",
            spec?.ClusterIP ?? "<none>",
            ExternalIp(service),
            string.Join(',', ports) is { Length: > 0 } joined ? joined : "<none>",
            clock.Since(service.Metadata.CreationTimestamp),
            TableBuilder.LabelList(spec?.Selector),
        ];
    }

    // The printer's getServiceExternalIP: spec.externalIPs, and for a load balancer the addresses its status reports
    // (written through /status by a load balancer controller), else <pending>.
    private static string ExternalIp(V1Service service)
    {
        var external = service.Spec?.ExternalIPs ?? [];
        switch (service.Spec?.Type ?? "ClusterIP")
        {
            case "ClusterIP" or "NodePort":
                return external.Count > 0 ? string.Join(',', external) : "<none>";
            case "LoadBalancer":
                var balancer = (service.Status?.LoadBalancer?.Ingress ?? []).Select(i => string.IsNullOrEmpty(i.Ip) ? i.Hostname : i.Ip).Where(a => !string.IsNullOrEmpty(a));
                var all = balancer.Concat(external).ToList();
                return all.Count > 0 ? string.Join(',', all) : "<pending>";
            case "ExternalName":
                return service.Spec?.ExternalName ?? "";
            default:
                return "<unknown>";
        }
    }
}
