namespace Keelson.Operations.Audit;

/// <summary>One thing someone did, for the audit trail; <see cref="DetailsJson"/> has secret-looking values masked before it is stored.</summary>
public sealed record AuditEntry
{
    /// <summary>Assigned by the log, increasing; 0 before it is appended.</summary>
    public long Id { get; init; }

    /// <summary>When it happened; the log's clock when left default.</summary>
    public DateTimeOffset Time { get; init; }

    /// <summary>Who: an API key name, a user, or <c>system</c>.</summary>
    public required string Actor { get; init; }

    /// <summary>What, as a dotted verb: <c>tenant.create</c>, <c>deployment.rollback</c>.</summary>
    public required string Action { get; init; }

    /// <summary>The tenant concerned, if any.</summary>
    public string? TenantId { get; init; }

    /// <summary>A JSON object with the particulars; <c>{}</c> when there are none.</summary>
    public string DetailsJson { get; init; } = "{}";
}
