namespace Keelson.Operations.Tenants;

/// <summary>Where a tenant is in its life, as the seed's <c>status</c> column.</summary>
public enum TenantStatus
{
    /// <summary>Created, not deployed yet.</summary>
    Pending,

    /// <summary>A deployment is in progress.</summary>
    Deploying,

    /// <summary>Deployed and serving; counted in <c>active_count</c>.</summary>
    Running,

    /// <summary>Stopped on request: its workloads are at zero replicas, everything else is kept.</summary>
    Stopped,

    /// <summary>The last deployment failed.</summary>
    Failed,

    /// <summary>Torn down; kept for the record.</summary>
    Deleted,
}
