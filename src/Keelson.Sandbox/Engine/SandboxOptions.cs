namespace Keelson.Sandbox.Engine;

/// <summary>Timings of the simulated cluster, defaulting to what a managed cluster typically shows.</summary>
public sealed record SandboxOptions
{
    /// <summary>Pulling an image a node does not have yet.</summary>
    public TimeSpan ImagePull { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>From image present to container running.</summary>
    public TimeSpan ContainerStart { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>From a pod's deletion to its removal (containers stopping).</summary>
    public TimeSpan PodTermination { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a Job's pod runs unless its template says otherwise (annotation <see cref="Kubelet.SimulatedKubelet.DurationAnnotation"/>).</summary>
    public TimeSpan JobRun { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>From the cluster autoscaler's request to a Ready node (a cloud instance boot).</summary>
    public TimeSpan NodeProvisioning { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a pod must be unschedulable before the cluster autoscaler acts.</summary>
    public TimeSpan ScaleUpDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a node must be unneeded before the cluster autoscaler removes it (its default, 10 min).</summary>
    public TimeSpan ScaleDownUnneeded { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Requested share of a node below which it is a scale-down candidate (the autoscaler's default, 0.5).</summary>
    public double ScaleDownUtilisation { get; init; } = 0.5;

    /// <summary>How often the HPA controller evaluates (its default sync period, 15 s).</summary>
    public TimeSpan HpaSyncPeriod { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>HPA scale-down stabilisation window (its default, 300 s).</summary>
    public TimeSpan HpaDownscaleStabilisation { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>HPA tolerance around the target ratio (its default, 0.1).</summary>
    public double HpaTolerance { get; init; } = 0.1;

    /// <summary>How long a node may be unreachable before it is marked NotReady (node-monitor-grace-period).</summary>
    public TimeSpan NodeMonitorGrace { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>How long pods stay on an unreachable node before eviction (the default toleration, 300 s).</summary>
    public TimeSpan UnreachableEviction { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest step the engine takes between reconcile passes.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromSeconds(1);
}
