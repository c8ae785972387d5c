using Keelson.Operations.Audit;

namespace Keelson.Operations.Tenants;

/// <summary>Where tenants are kept: SQLite, PostgreSQL, optionally behind a Redis cache.</summary>
public interface ITenantStore
{
    /// <summary>The tenant, or null when none has this id.</summary>
    Task<TenantRecord?> GetAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>
    /// Tenants in creation order from <paramref name="offset"/>, at most <paramref name="limit"/>, with counts over all
    /// tenants; with <paramref name="search"/>, only (and counts over) those whose id or name contains it or whose preset
    /// or status is it, ignoring case.
    /// </summary>
    Task<TenantPage> ListAsync(int offset, int limit, string? search, CancellationToken cancellationToken);

    /// <summary>As <see cref="ListAsync(int, int, string?, CancellationToken)"/> without a search: every tenant.</summary>
    Task<TenantPage> ListAsync(int offset, int limit, CancellationToken cancellationToken) => ListAsync(offset, limit, null, cancellationToken);

    /// <summary>Stores a new tenant at version 1 with both times set now; <see cref="DuplicateTenantException"/> when the id is taken.</summary>
    Task<TenantRecord> CreateAsync(TenantRecord tenant, CancellationToken cancellationToken);

    /// <summary>As <see cref="CreateAsync(TenantRecord, CancellationToken)"/>, writing <paramref name="audit"/> in the same transaction: both or neither.</summary>
    Task<TenantRecord> CreateAsync(TenantRecord tenant, AuditEntry? audit, CancellationToken cancellationToken);

    /// <summary>Replaces the tenant if its stored version is still <c>tenant.Version</c>; returns it with the next version.
    /// <see cref="Storage.ConcurrencyException"/> when someone changed it first, <see cref="Storage.RecordNotFoundException"/> when it is gone.</summary>
    Task<TenantRecord> UpdateAsync(TenantRecord tenant, CancellationToken cancellationToken);

    /// <summary>As <see cref="UpdateAsync(TenantRecord, CancellationToken)"/>, writing <paramref name="audit"/> in the same transaction.</summary>
    Task<TenantRecord> UpdateAsync(TenantRecord tenant, AuditEntry? audit, CancellationToken cancellationToken);

    /// <summary>Sets the tenant's status whatever its version (the next version follows); false when the tenant is gone.
    /// Deployments use it: a status change must not fail because the tenant's requirements were edited meanwhile.</summary>
    Task<bool> SetStatusAsync(string tenantId, TenantStatus status, CancellationToken cancellationToken);

    /// <summary>Removes the tenant with its deployments; false when there was none.</summary>
    Task<bool> DeleteAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>As <see cref="DeleteAsync(string, CancellationToken)"/>, writing <paramref name="audit"/> in the same transaction (only when a tenant was removed).</summary>
    Task<bool> DeleteAsync(string tenantId, AuditEntry? audit, CancellationToken cancellationToken);
}
