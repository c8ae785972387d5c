using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Nodes: STATUS, ROLES, AGE, VERSION; wide adds INTERNAL-IP, OS-IMAGE, CONTAINER-RUNTIME.</summary>
public sealed class NodeRows : IRowPrinter
{
    private const string RolePrefix = "node-role.kubernetes.io/";

    /// <inheritdoc/>
    public string Kind => "Node";

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Status", "string", 0, "The status of the node."),
        new("Roles", "string", 0, "The roles of the node."),
        new("Age", "string", 0, "Time since the node was created."),
        new("Version", "string", 0, "Kubelet version reported by the node."),
        new("Internal-IP", "string", 1, "The node's internal address."),
        new("OS-Image", "string", 1, "OS image reported by the node."),
        new("Container-Runtime", "string", 1, "Container runtime version reported by the node."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var node = (V1Node)resource;
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status == "True" ? "Ready" : "NotReady";
        var roles = (node.Metadata.Labels ?? new Dictionary<string, string>()).Keys
            .Where(k => k.StartsWith(RolePrefix, StringComparison.Ordinal)).Select(k => k[RolePrefix.Length..]).ToList();
        var info = node.Status?.NodeInfo;
        return
        [
            node.Spec?.Unschedulable == true ? ready + ",SchedulingDisabled" : ready,
            roles.Count == 0 ? "<none>" : string.Join(',', roles),
            clock.Since(node.Metadata.CreationTimestamp),
            info?.KubeletVersion ?? "",
            node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address ?? "<none>",
            info?.OsImage ?? "<unknown>",
            info?.ContainerRuntimeVersion ?? "<unknown>",
        ];
    }
}
