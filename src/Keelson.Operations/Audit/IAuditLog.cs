namespace Keelson.Operations.Audit;

/// <summary>The append-only audit trail.</summary>
public interface IAuditLog
{
    /// <summary>Appends the entry with secrets masked and returns it as stored (id and time set).</summary>
    Task<AuditEntry> AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Entries newest first, only <paramref name="tenantId"/>'s when given, skipping <paramref name="offset"/>, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync(string? tenantId, int offset, int limit, CancellationToken cancellationToken);
}
