namespace Keelson.Operations.Deployments;

/// <summary>One step of a deployment as recorded before and after it runs.</summary>
public sealed record DeploymentStep
{
    /// <summary>The deployment it belongs to.</summary>
    public required string DeploymentId { get; init; }

    /// <summary>Position in the run order, from 0; the key together with <see cref="DeploymentId"/>.</summary>
    public required int Index { get; init; }

    /// <summary>Which step.</summary>
    public required DeploymentStepName Name { get; init; }

    /// <summary>Where the step is.</summary>
    public required DeploymentStepState State { get; init; }

    /// <summary>How many times it started; more than one when a replica died or lost its lease while running it.</summary>
    public int Attempts { get; init; }

    /// <summary>When it started; null while pending.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it finished; null until then.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>A short human message (objects applied, error), without secrets.</summary>
    public string? Message { get; init; }
}
