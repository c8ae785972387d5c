using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keelson.Operations.Jobs;
using Keelson.Spec.Model;
using Keelson.Spec.Units;

namespace Keelson.Server.Api;

/// <summary>
/// A job submission read strictly and checked against the tenant's queues and cluster before anything is queued:
/// an unknown queue, an image without a tag, negative or absurd parallelism, a GPU type the cluster lacks, and a pod
/// larger than every node that could run it (the largest such node is named) are errors with their field paths.
/// </summary>
public static partial class JobInput
{
    /// <summary>The most pods of one job at once; more is taken for a typo.</summary>
    public const int MaxParallelism = 1000;

    /// <summary>The most completions of one job.</summary>
    public const int MaxCompletions = 100_000;

    /// <summary>The specification, or the errors by field path.</summary>
    public static (JobSpec? Spec, Dictionary<string, string[]> Errors) Read(JsonObject body, ClusterProfile cluster, IReadOnlyList<ClusterQueueSpec> queues)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(queues);
        var f = new JobFields(body);
        f.OnlyKnown("name", "queue", "image", "command", "args", "env", "annotations", "resources", "parallelism", "completions", "priority", "active_deadline_seconds", "retries");
        var name = f.String("name", true);
        if (name is not null && !DnsLabel().IsMatch(name))
        {
            f.Error("name", $"must be a DNS label of at most 50 characters (lower-case letters, digits, '-', starting with a letter); got \"{name}\"");
        }

        var queue = f.String("queue", true);
        if (queue is not null && queues.All(q => q.Name != queue))
        {
            f.Error("queue", queues.Count == 0
                ? $"unknown queue \"{queue}\": the tenant has no queues; create one with PUT /api/v1/tenants/{{tenant_id}}/job-queues/{{queue}}"
                : $"unknown queue \"{queue}\"; the tenant's queues: {string.Join(", ", queues.Select(q => q.Name))}");
        }

        var image = f.String("image", true);
        if (image is not null && !Tagged(image))
        {
            f.Error("image", $"\"{image}\" has no tag or digest; name the version to run, e.g. \"{image}:1.0\" or \"{image}@sha256:…\"");
        }

        var command = f.Strings("command");
        var args = f.Strings("args");
        var env = f.Map("env", k => EnvName().IsMatch(k), "is not an environment variable name (letters, digits, '_', not starting with a digit)");
        var annotations = f.Map("annotations", k => k.Length is > 0 and <= 253, "must be an annotation key");
        var resources = f.Quantities("resources", true, "gpu_type");
        GpuType? gpu = null;
        if (f.Object("resources", false) is { } r && new JobFields(r, "resources.") { Errors = f.Errors }.String("gpu_type", false) is { } gpuText)
        {
            var offered = cluster.Pools.Select(p => p.Instance.Gpu).OfType<GpuType>().Distinct().Order().ToList();
            if (Enum.TryParse<GpuType>(gpuText, ignoreCase: true, out var parsed) && !int.TryParse(gpuText, out _) && offered.Contains(parsed))
            {
                gpu = parsed;
            }
            else
            {
                f.Error("resources.gpu_type", offered.Count == 0
                    ? $"cluster {cluster.Name} has no GPU nodes; got \"{gpuText}\""
                    : $"cluster {cluster.Name} has no {gpuText} nodes; its GPU types: {string.Join(", ", offered)}");
            }
        }

        if (resources is { Gpus: > 0 } && gpu is null && !f.Errors.ContainsKey("resources.gpu_type"))
        {
            f.Error("resources.gpu_type", "is required when resources.gpu is above 0 (e.g. \"T4\")");
        }

        if (resources is { Gpus: 0 } && gpu is not null)
        {
            f.Error("resources.gpu", $"must be at least 1 when resources.gpu_type is {gpu}");
        }

        if (resources is { MilliCpu: <= 0 } && !f.Errors.ContainsKey("resources.cpu"))
        {
            f.Error("resources.cpu", "must be above 0");
        }

        if (resources is { MemoryBytes: <= 0 } && !f.Errors.ContainsKey("resources.memory"))
        {
            f.Error("resources.memory", "must be above 0");
        }

        var parallelism = (int)(f.Integer("parallelism", 1, MaxParallelism) ?? 1);
        var completions = (int)(f.Integer("completions", 1, MaxCompletions) ?? parallelism);
        var priority = (int)(f.Integer("priority", -1_000_000, 1_000_000) ?? 0);
        var deadline = f.Integer("active_deadline_seconds", 1, 366L * 24 * 3600);
        var retries = (int)(f.Integer("retries", 0, 100) ?? 0);

        if (resources is { } pod && f.Errors.Count == 0 && LargestNodeProblem(pod, gpu, cluster) is { } tooLarge)
        {
            f.Error("resources", tooLarge);
        }

        if (f.Errors.Count > 0)
        {
            return (null, f.Errors);
        }

        return (new JobSpec
        {
            Name = name!, Queue = queue!, Image = image!, Command = command, Args = args, Env = env, Annotations = annotations,
            MilliCpu = resources!.Value.MilliCpu, MemoryBytes = resources.Value.MemoryBytes, Gpus = (int)resources.Value.Gpus, Gpu = gpu,
            Parallelism = parallelism, Completions = completions, Priority = priority, ActiveDeadlineSeconds = deadline, Retries = retries,
        }, f.Errors);
    }

    /// <summary>True when the image names a tag or a digest (<c>repo:tag</c>, <c>host:5000/repo:tag</c>, <c>repo@sha256:…</c>).</summary>
    public static bool Tagged(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return true;
        }

        var last = image[(image.LastIndexOf('/') + 1)..];
        var colon = last.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < last.Length - 1 && image.Length > 0 && !image.Any(char.IsWhiteSpace);
    }

    /// <summary>Null when one pod fits some node that could run it; else the message naming the largest such node.</summary>
    public static string? LargestNodeProblem(Quantities pod, GpuType? gpu, ClusterProfile cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var eligible = cluster.Pools.Where(p => p.Role is PoolRole.Worker or PoolRole.Gpu or PoolRole.Edge && p.Instance.Gpu == gpu).ToList();
        bool Fits(NodePool p) => pod.MilliCpu <= p.Instance.VCpu * 1000L && pod.MemoryBytes <= p.Instance.Memory.Bytes && pod.Gpus <= p.Instance.Gpus;
        if (eligible.Any(Fits))
        {
            return null;
        }

        var request = string.Create(CultureInfo.InvariantCulture, $"one pod requests cpu {pod.MilliCpu}m, memory {new ByteSize(pod.MemoryBytes).Display()}{(pod.Gpus > 0 ? $", {pod.Gpus} {gpu} GPU" : "")}");
        if (eligible.Count == 0)
        {
            return $"{request}, but cluster {cluster.Name} has no pool for {(gpu is null ? "CPU jobs" : $"{gpu} GPUs")}";
        }

        var largest = eligible.OrderByDescending(p => p.Instance.VCpu).ThenByDescending(p => p.Instance.Memory.Bytes).ThenByDescending(p => p.Instance.Gpus).ThenBy(p => p.Name, StringComparer.Ordinal).First();
        return string.Create(CultureInfo.InvariantCulture,
            $"{request}, more than any node can hold; the largest node of cluster {cluster.Name} for it is {largest.Instance.Name} in pool {largest.Name} ({largest.Instance.VCpu} vCPU, {largest.Instance.Memory.Display()}, {largest.Instance.Gpus} GPU)");
    }

    [GeneratedRegex("^[a-z]([-a-z0-9]{0,48}[a-z0-9])?$")]
    private static partial Regex DnsLabel();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvName();
}
