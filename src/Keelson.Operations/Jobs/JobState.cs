namespace Keelson.Operations.Jobs;

/// <summary>Where a job is. Admitted and running jobs hold quota; the last three are final until a retry.</summary>
public enum JobState
{
    /// <summary>Waiting in its queue (also after being preempted).</summary>
    Pending,

    /// <summary>Holds quota; its Kubernetes Job is being created.</summary>
    Admitted,

    /// <summary>Its Kubernetes Job exists on the cluster.</summary>
    Running,

    /// <summary>Its Kubernetes Job completed.</summary>
    Succeeded,

    /// <summary>Its Kubernetes Job failed (back-off limit or deadline), or could not be created.</summary>
    Failed,

    /// <summary>Cancelled on request; its Kubernetes Job is deleted.</summary>
    Cancelled,
}
