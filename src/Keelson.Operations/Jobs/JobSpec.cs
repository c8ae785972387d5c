using Keelson.Spec.Model;

namespace Keelson.Operations.Jobs;

/// <summary>What a tenant submits: a Kubernetes Job's container, its per-pod requests, parallelism, and how it queues.</summary>
public sealed record JobSpec
{
    /// <summary>A DNS label; the Kubernetes Job is named after it.</summary>
    public required string Name { get; init; }

    /// <summary>The queue (one of the tenant's) the job waits in.</summary>
    public required string Queue { get; init; }

    /// <summary>The container image with an explicit tag or digest.</summary>
    public required string Image { get; init; }

    /// <summary>The container's entrypoint; empty keeps the image's.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>Arguments to the entrypoint.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Environment variables, in name order when rendered.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Annotations of the pod template (the sandbox reads <c>sandbox.keelson.dev/run-duration</c>).</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>CPU one pod requests, in millicores.</summary>
    public long MilliCpu { get; init; }

    /// <summary>Memory one pod requests, in bytes.</summary>
    public long MemoryBytes { get; init; }

    /// <summary>GPUs one pod requests.</summary>
    public int Gpus { get; init; }

    /// <summary>The GPU type; required when <see cref="Gpus"/> is positive.</summary>
    public GpuType? Gpu { get; init; }

    /// <summary>Pods running at once.</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>Pods that must succeed.</summary>
    public int Completions { get; init; } = 1;

    /// <summary>Higher is admitted first and may preempt lower.</summary>
    public int Priority { get; init; }

    /// <summary>Seconds the Job may run before Kubernetes fails it; null for no limit.</summary>
    public long? ActiveDeadlineSeconds { get; init; }

    /// <summary>Failed pods Kubernetes retries before failing the Job (<c>backoffLimit</c>).</summary>
    public int Retries { get; init; }

    /// <summary>One pod's request.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Quantities PodRequest => new(MilliCpu, MemoryBytes, Gpus);

    /// <summary>What admission counts against quota: every pod that runs at once.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Quantities Request => PodRequest * Parallelism;
}
