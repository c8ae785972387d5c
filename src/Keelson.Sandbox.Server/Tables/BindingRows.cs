using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Role and cluster role bindings: ROLE, AGE; wide adds USERS, GROUPS, SERVICEACCOUNTS.</summary>
public abstract class BindingRows : IRowPrinter
{
    /// <inheritdoc/>
    public abstract string Kind { get; }

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } =
    [
        new("Role", "string", 0, "The role the binding grants."),
        new("Age", "string", 0, "Time since the binding was created."),
        new("Users", "string", 1, "Users in the binding."),
        new("Groups", "string", 1, "Groups in the binding."),
        new("ServiceAccounts", "string", 1, "Service accounts in the binding, as namespace/name."),
    ];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock)
    {
        var (role, subjects) = resource switch
        {
            V1RoleBinding binding => (binding.RoleRef, binding.Subjects),
            V1ClusterRoleBinding binding => (binding.RoleRef, binding.Subjects),
            _ => throw new ArgumentException($"not a binding: {resource.Kind}", nameof(resource)),
        };
        subjects ??= [];
        string Names(string kind) => string.Join(", ", subjects.Where(s => s.Kind == kind).Select(s => kind == "ServiceAccount" ? $"{s.NamespaceProperty}/{s.Name}" : s.Name));
        return
        [
            $"{role?.Kind}/{role?.Name}",
            clock.Since(resource.Metadata.CreationTimestamp),
            Names("User"),
            Names("Group"),
            Names("ServiceAccount"),
        ];
    }
}

/// <summary>Role bindings.</summary>
public sealed class RoleBindingRows : BindingRows
{
    /// <inheritdoc/>
    public override string Kind => "RoleBinding";
}

/// <summary>Cluster role bindings.</summary>
public sealed class ClusterRoleBindingRows : BindingRows
{
    /// <inheritdoc/>
    public override string Kind => "ClusterRoleBinding";
}
