namespace Keelson.Operations.Deployments;

/// <summary>Where a deployment is; pending and running ones are resumed after a restart.</summary>
public enum DeploymentState
{
    /// <summary>Recorded, not started.</summary>
    Pending,

    /// <summary>A replica holds the lease and runs its steps.</summary>
    Running,

    /// <summary>The cluster cannot hold it yet; nothing was applied, and it is looked at again until room appears or the wait times out.</summary>
    WaitingForCapacity,

    /// <summary>Every step succeeded.</summary>
    Succeeded,

    /// <summary>A step failed and compensation ran or could not.</summary>
    Failed,

    /// <summary>Replaced by the previous inventory on request.</summary>
    RolledBack,
}
