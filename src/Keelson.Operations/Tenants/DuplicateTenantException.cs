namespace Keelson.Operations.Tenants;

/// <summary>A tenant with this id already exists.</summary>
public sealed class DuplicateTenantException : Exception
{
    /// <summary>Creates the exception for a tenant id.</summary>
    public DuplicateTenantException(string tenantId, Exception? innerException)
        : base($"A tenant '{tenantId}' already exists; choose another tenant_id or update the existing tenant.", innerException)
    {
        TenantId = tenantId;
    }

    /// <summary>Creates the exception.</summary>
    public DuplicateTenantException()
    {
        TenantId = string.Empty;
    }

    /// <summary>Creates the exception for a tenant id.</summary>
    public DuplicateTenantException(string tenantId)
        : this(tenantId, null)
    {
    }

    /// <summary>The id that is taken.</summary>
    public string TenantId { get; }
}
