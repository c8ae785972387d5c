namespace Keelson.Operations.Deployments;

/// <summary>Where deployments, their steps and the per-tenant deployment lease are kept.</summary>
public interface IDeploymentStore
{
    /// <summary>Records a pending deployment of the tenant's request <paramref name="spec"/> with the next revision and a new id;
    /// <paramref name="rollbackOf"/> names the deployment a rollback undoes.
    /// <see cref="Storage.RecordNotFoundException"/> when the tenant does not exist.</summary>
    Task<DeploymentRecord> CreateAsync(string tenantId, string spec, string? rollbackOf, CancellationToken cancellationToken);

    /// <summary>As <see cref="CreateAsync(string, string, string?, CancellationToken)"/>, for a stop, start or restart of the tenant.</summary>
    Task<DeploymentRecord> CreateAsync(string tenantId, string spec, string? rollbackOf, DeploymentAction action, CancellationToken cancellationToken);

    /// <summary>The deployment, or null.</summary>
    Task<DeploymentRecord?> GetAsync(string deploymentId, CancellationToken cancellationToken);

    /// <summary>The tenant's deployments, newest revision first.</summary>
    Task<IReadOnlyList<DeploymentRecord>> ListForTenantAsync(string tenantId, CancellationToken cancellationToken);

    /// <summary>Sets the state and error message (null clears it); <see cref="Storage.RecordNotFoundException"/> when the deployment is gone.</summary>
    Task<DeploymentRecord> UpdateStateAsync(string deploymentId, DeploymentState state, string? errorMessage, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the step with the same deployment and index.</summary>
    Task UpsertStepAsync(DeploymentStep deploymentStep, CancellationToken cancellationToken);

    /// <summary>The deployment's steps in index order.</summary>
    Task<IReadOnlyList<DeploymentStep>> ListStepsAsync(string deploymentId, CancellationToken cancellationToken);

    /// <summary>Takes or renews the tenant's deployment lease until <paramref name="until"/> for <paramref name="owner"/>, atomically:
    /// true when no one held it, it had expired, or <paramref name="owner"/> held it already; false when another owner holds it.
    /// The deployment's <see cref="DeploymentRecord.LeaseOwner"/> and <see cref="DeploymentRecord.LeaseUntil"/> follow.</summary>
    Task<bool> TryAcquireLeaseAsync(string tenantId, string deploymentId, string owner, DateTimeOffset until, CancellationToken cancellationToken);

    /// <summary>Gives the tenant's lease up if <paramref name="owner"/> holds it; true when it did.</summary>
    Task<bool> ReleaseLeaseAsync(string tenantId, string owner, CancellationToken cancellationToken);

    /// <summary>How many deployments are in each state (states without any are left out).</summary>
    Task<IReadOnlyDictionary<DeploymentState, long>> CountByStateAsync(CancellationToken cancellationToken);

    /// <summary>Pending and running deployments, oldest first, to resume after a restart.</summary>
    Task<IReadOnlyList<DeploymentRecord>> ListUnfinishedAsync(CancellationToken cancellationToken);
}
