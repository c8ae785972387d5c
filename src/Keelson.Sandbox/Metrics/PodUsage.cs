namespace Keelson.Sandbox.Metrics;

/// <summary>What one container of a simulated pod uses at an instant.</summary>
/// <param name="Name">Container name.</param>
/// <param name="CpuMillis">CPU in millicores.</param>
/// <param name="MemoryBytes">Working set in bytes.</param>
/// <param name="MemoryBasisBytes">What a memory percentage is of: the container's limit, else its request, else the model's default.</param>
public sealed record ContainerUsage(string Name, double CpuMillis, long MemoryBytes, long MemoryBasisBytes);

/// <summary>
/// What a running simulated pod uses and serves at an instant: the containers' CPU and memory as metrics-server
/// reports them, and the service-level numbers an AI service exports (requests, latency, errors, GPU).
/// </summary>
/// <param name="Namespace">Pod namespace.</param>
/// <param name="Name">Pod name.</param>
/// <param name="Node">Node the pod runs on.</param>
/// <param name="Workload">The Deployment/StatefulSet (or other owner) whose load the pod shares.</param>
/// <param name="Containers">Per-container CPU and memory.</param>
/// <param name="Utilisation">CPU use over CPU request (1 = at request); the load the pod is under.</param>
/// <param name="Gpus">GPUs the pod requests (0 for CPU pods).</param>
/// <param name="GpuUtilisation">Busy fraction of its GPUs (0–1), null for pods without GPUs.</param>
/// <param name="RequestsPerSecond">Requests served per second.</param>
/// <param name="LatencySeconds">Mean request latency in seconds.</param>
/// <param name="ErrorRatio">Fraction of requests that fail (0–1).</param>
public sealed record PodUsage(
    string Namespace,
    string Name,
    string Node,
    string Workload,
    IReadOnlyList<ContainerUsage> Containers,
    double Utilisation,
    long Gpus,
    double? GpuUtilisation,
    double RequestsPerSecond,
    double LatencySeconds,
    double ErrorRatio)
{
    /// <summary>The pod's CPU in millicores.</summary>
    public double CpuMillis => Containers.Sum(c => c.CpuMillis);

    /// <summary>The pod's working set in bytes.</summary>
    public long MemoryBytes => Containers.Sum(c => c.MemoryBytes);

    /// <summary>What the pod's memory percentage is of: its containers' limits (requests where a container has none).</summary>
    public long MemoryBasisBytes => Containers.Sum(c => c.MemoryBasisBytes);
}

/// <summary>What a node uses: its pods plus the system daemons (kubelet, runtime, OS) that every node runs.</summary>
/// <param name="Name">Node name.</param>
/// <param name="CpuMillis">CPU in millicores.</param>
/// <param name="MemoryBytes">Working set in bytes.</param>
public sealed record NodeUsage(string Name, double CpuMillis, long MemoryBytes);
