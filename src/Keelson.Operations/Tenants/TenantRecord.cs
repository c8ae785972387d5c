namespace Keelson.Operations.Tenants;

/// <summary>A tenant as stored: the seed's <c>tenants</c> columns, the stack spec it came from, and a version for optimistic concurrency.</summary>
public sealed record TenantRecord
{
    /// <summary>The tenant's id, a DNS label (lower-case letters, digits, '-'; at most 63), also its namespace.</summary>
    public required string TenantId { get; init; }

    /// <summary>Display name.</summary>
    public required string Name { get; init; }

    /// <summary>Size preset: micro, small, medium, large.</summary>
    public required string Preset { get; init; }

    /// <summary>True for a demo-mode tenant; counted in <c>demo_count</c>.</summary>
    public bool IsDemo { get; init; }

    /// <summary>Life-cycle status.</summary>
    public TenantStatus Status { get; init; } = TenantStatus.Pending;

    /// <summary>The seed's <c>service_requirements</c> JSON object, e.g. <c>{"callbot": 50}</c>.</summary>
    public required string ServiceRequirementsJson { get; init; }

    /// <summary>The planned resources as a JSON document.</summary>
    public required string ResourcesJson { get; init; }

    /// <summary>The seed's <c>sla_target</c> JSON object, e.g. <c>{"availability": "99.9%"}</c>.</summary>
    public required string SlaTargetJson { get; init; }

    /// <summary>Total CPU limit as a Kubernetes quantity (<c>45000m</c>).</summary>
    public string? CpuLimit { get; init; }

    /// <summary>Total memory limit as a Kubernetes quantity (<c>64Gi</c>).</summary>
    public string? MemoryLimit { get; init; }

    /// <summary>Total GPUs.</summary>
    public int? GpuLimit { get; init; }

    /// <summary>Total storage as a Kubernetes quantity.</summary>
    public string? StorageLimit { get; init; }

    /// <summary>GPU model, e.g. <c>t4</c>.</summary>
    public string? GpuType { get; init; }

    /// <summary>The stack spec text (YAML or JSON) the tenant was created from; null when created from the seed's short request.</summary>
    public string? Spec { get; init; }

    /// <summary>Set by the store on create and update.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Set by the store on create and update.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Starts at 1 and grows by one on each update; an update must carry the version it read.</summary>
    public long Version { get; init; }
}
