using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Keelson.Sandbox.Server.Tables;

/// <summary>Kinds the API server prints with a CREATED AT timestamp instead of an age: limit ranges, roles and cluster roles.</summary>
public abstract class CreatedAtRows : IRowPrinter
{
    /// <inheritdoc/>
    public abstract string Kind { get; }

    /// <inheritdoc/>
    public IReadOnlyList<TableColumn> Columns { get; } = [new("Created At", "date", 0, "When the object was created.")];

    /// <inheritdoc/>
    public IEnumerable<JsonNode?> Cells(IKubernetesObject<V1ObjectMeta> resource, TableClock clock) => [Selectors.Timestamp(clock.Served(resource.Metadata.CreationTimestamp))];
}

/// <summary>Limit ranges: CREATED AT.</summary>
public sealed class LimitRangeRows : CreatedAtRows
{
    /// <inheritdoc/>
    public override string Kind => "LimitRange";
}

/// <summary>Roles: CREATED AT.</summary>
public sealed class RoleRows : CreatedAtRows
{
    /// <inheritdoc/>
    public override string Kind => "Role";
}

/// <summary>Cluster roles: CREATED AT.</summary>
public sealed class ClusterRoleRows : CreatedAtRows
{
    /// <inheritdoc/>
    public override string Kind => "ClusterRole";
}

/// <summary>CustomResourceDefinitions: NAME, CREATED AT.</summary>
public sealed class CustomResourceDefinitionRows : CreatedAtRows
{
    /// <inheritdoc/>
    public override string Kind => "CustomResourceDefinition";
}
