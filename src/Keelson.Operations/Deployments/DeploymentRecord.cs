namespace Keelson.Operations.Deployments;

/// <summary>A persisted deployment of one tenant's revision, with the lease of the replica running it.</summary>
public sealed record DeploymentRecord
{
    /// <summary>A GUID string, assigned by the store.</summary>
    public required string Id { get; init; }

    /// <summary>The tenant being deployed.</summary>
    public required string TenantId { get; init; }

    /// <summary>1 for the tenant's first deployment, one more for each after it; assigned by the store.</summary>
    public required int Revision { get; init; }

    /// <summary>The tenant request being delivered (JSON), as it was when the deployment was created.</summary>
    public required string Spec { get; init; }

    /// <summary>The deployment this one undoes, for a rollback; null otherwise.</summary>
    public string? RollbackOf { get; init; }

    /// <summary>What it does with the tenant's objects: deploy, stop, start or restart.</summary>
    public DeploymentAction Action { get; init; } = DeploymentAction.Deploy;

    /// <summary>Where the deployment is.</summary>
    public required DeploymentState State { get; init; }

    /// <summary>Why it failed, without secrets; null otherwise.</summary>
    public string? Error { get; init; }

    /// <summary>The replica that last acquired the tenant's lease for this deployment.</summary>
    public string? LeaseOwner { get; init; }

    /// <summary>When that lease runs out unless renewed.</summary>
    public DateTimeOffset? LeaseUntil { get; init; }

    /// <summary>When the deployment was recorded.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its state or lease last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Whether it has ended (succeeded, failed or rolled back); unfinished ones are resumed.</summary>
    public bool Finished => State is not (DeploymentState.Pending or DeploymentState.Running or DeploymentState.WaitingForCapacity);
}
