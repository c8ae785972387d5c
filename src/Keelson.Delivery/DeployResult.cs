using Keelson.Delivery.Clusters;
using Keelson.Delivery.Readiness;

namespace Keelson.Delivery;

/// <summary>How a delivery ended.</summary>
public enum DeployOutcome
{
    /// <summary>Every object applied and ready; objects that left the stack were pruned.</summary>
    Succeeded,

    /// <summary>An object failed or timed out and the previous inventory was restored.</summary>
    RolledBack,

    /// <summary>An object failed or timed out and there was no previous inventory to restore (first delivery).</summary>
    Failed,
}

/// <summary>One object's last readiness in a delivery.</summary>
public sealed record ObjectOutcome(ObjectKey Key, Readiness.Readiness Readiness);

/// <summary>The result of <see cref="Deployer.DeployAsync"/>.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Revision">The inventory revision now recorded in the namespace.</param>
/// <param name="Objects">Each applied object with its last readiness.</param>
/// <param name="Pruned">Objects deleted because they left the stack (or, on rollback, were new).</param>
/// <param name="Elapsed">Time on the cluster's clock (virtual in the sandbox).</param>
/// <param name="Error">What failed, when it did.</param>
public sealed record DeployResult(
    DeployOutcome Outcome,
    int Revision,
    IReadOnlyList<ObjectOutcome> Objects,
    IReadOnlyList<ObjectKey> Pruned,
    TimeSpan Elapsed,
    string? Error)
{
    /// <summary>Whether the stack is now delivered.</summary>
    public bool Succeeded => Outcome == DeployOutcome.Succeeded;
}

/// <summary>A progress line: what happened to which object, at what cluster time.</summary>
public sealed record DeployEvent(DateTimeOffset At, ObjectKey? Key, string Message);

/// <summary>How long to wait, and how often to look.</summary>
public sealed record DeployOptions
{
    /// <summary>
    /// Longest wait for every object to become ready (cluster time); longer than a Deployment's default 600 s
    /// progress deadline, so a stuck rollout is reported with the controller's own reason.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Time between readiness polls (cluster time).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Whether a failed rollout goes back to the previous inventory.</summary>
    public bool RollbackOnFailure { get; init; } = true;
}
