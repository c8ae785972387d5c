namespace Keelson.Operations.Deployments;

/// <summary>Where one step of a deployment is.</summary>
public enum DeploymentStepState
{
    /// <summary>Not started.</summary>
    Pending,

    /// <summary>Recorded as started; a restart runs it again (steps are idempotent).</summary>
    Running,

    /// <summary>Finished.</summary>
    Succeeded,

    /// <summary>Failed; compensation follows.</summary>
    Failed,

    /// <summary>Undone by compensation.</summary>
    Compensated,
}
