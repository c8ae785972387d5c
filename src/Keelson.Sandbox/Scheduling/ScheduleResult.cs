namespace Keelson.Sandbox.Scheduling;

/// <summary>
/// Where a pod should go. <paramref name="NodeName"/> is null when it fits nowhere; <paramref name="Message"/> then
/// reads like kube-scheduler's FailedScheduling event ("0/6 nodes are available: 3 Insufficient cpu, ...").
/// </summary>
public sealed record ScheduleResult(string? NodeName, string Message)
{
    /// <summary>Whether a node was found.</summary>
    public bool Scheduled => NodeName is not null;
}
