using System.Globalization;
using k8s.Models;
using Keelson.Rendering.Objects;
using Keelson.Spec.Model;

namespace Keelson.Operations.Jobs;

/// <summary>
/// The Kubernetes Job of one admission: named deterministically, in the tenant's namespace, pinned to the admitted
/// pool (required node affinity on <c>keelson.dev/pool</c>) and tolerating that pool's taints, with the pod's requests
/// as limits too (Guaranteed QoS), so that what admission counted is what the pods hold.
/// </summary>
public static class JobManifest
{
    /// <summary>The node label every Keelson-made node pool carries.</summary>
    public const string PoolLabel = "keelson.dev/pool";

    /// <summary>The label with the Keelson job id.</summary>
    public const string JobIdLabel = "keelson.dev/job-id";

    /// <summary>The Job for <paramref name="job"/>'s current attempt on <paramref name="pool"/>.</summary>
    public static V1Job Build(JobRecord job, string ns, NodePool pool)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(pool);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["app.kubernetes.io/managed-by"] = "keelson",
            [JobIdLabel] = job.Id.ToString(CultureInfo.InvariantCulture),
            [QueuedJobs.QueueLabel] = job.Spec.Queue,
            ["keelson.dev/attempt"] = job.Attempt.ToString(CultureInfo.InvariantCulture),
        };
        var built = Job(job.Spec, job.KubernetesName ?? throw new ArgumentException("the job has no Kubernetes name (not admitted)", nameof(job)), ns, labels);
        built.Spec.Template.Spec.Affinity = new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                {
                    NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = PoolLabel, OperatorProperty = "In", Values = [pool.Name] }] }],
                },
            },
        };
        built.Spec.Template.Spec.Tolerations = pool.Taints.Count == 0 ? null
            : [.. pool.Taints.Select(t => new V1Toleration { Key = t.Key, OperatorProperty = t.Value.Length == 0 ? "Exists" : "Equal", Value = t.Value.Length == 0 ? null : t.Value, Effect = t.Effect })];
        return built;
    }

    /// <summary>
    /// <paramref name="spec"/> as a Job of a stack queue, named after the job: suspended, unpinned, labelled with its
    /// queue and annotated with its priority (and GPU type), as a stack's queued job renders, so that
    /// <see cref="QueuedJobAdmitter"/> admits it on its next pass.
    /// </summary>
    public static V1Job Suspended(JobSpec spec, string ns)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["app.kubernetes.io/managed-by"] = "keelson",
            [QueuedJobs.QueueLabel] = spec.Queue,
        };
        var job = Job(spec, spec.Name, ns, labels);
        job.Spec.Suspend = true;
        job.Metadata.Annotations = new Dictionary<string, string>(StringComparer.Ordinal) { [QueuedJobs.PriorityAnnotation] = spec.Priority.ToString(CultureInfo.InvariantCulture) };
        if (spec.Gpus > 0 && spec.Gpu is { } gpu)
        {
            job.Metadata.Annotations[QueuedJobs.GpuTypeAnnotation] = gpu.ToString();
        }

        return job;
    }

    private static V1Job Job(JobSpec spec, string name, string ns, Dictionary<string, string> labels)
    {
        var resources = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new(string.Create(CultureInfo.InvariantCulture, $"{spec.MilliCpu}m")),
            ["memory"] = new(spec.MemoryBytes.ToString(CultureInfo.InvariantCulture)),
        };
        if (spec.Gpus > 0)
        {
            resources[QueuedJobs.GpuResource] = new(spec.Gpus.ToString(CultureInfo.InvariantCulture));
        }

        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, Labels = labels },
            Spec = new V1JobSpec
            {
                Parallelism = spec.Parallelism,
                Completions = spec.Completions,
                BackoffLimit = spec.Retries,
                ActiveDeadlineSeconds = spec.ActiveDeadlineSeconds,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = new Dictionary<string, string>(labels, StringComparer.Ordinal),
                        Annotations = spec.Annotations.Count == 0 ? null : spec.Annotations.OrderBy(a => a.Key, StringComparer.Ordinal).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal),
                    },
                    Spec = new V1PodSpec
                    {
                        RestartPolicy = "Never",
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "job",
                                Image = spec.Image,
                                Command = spec.Command.Count == 0 ? null : [.. spec.Command],
                                Args = spec.Args.Count == 0 ? null : [.. spec.Args],
                                Env = spec.Env.Count == 0 ? null : [.. spec.Env.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => new V1EnvVar { Name = e.Key, Value = e.Value })],
                                Resources = new V1ResourceRequirements { Requests = resources, Limits = new Dictionary<string, ResourceQuantity>(resources, StringComparer.Ordinal) },
                            },
                        ],
                    },
                },
            },
        };
    }

    /// <summary>How a Job stands: null while it runs, else whether it succeeded and Kubernetes' reason.</summary>
    public static (bool Succeeded, string Message)? Outcome(V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var end = job.Status?.Conditions?.FirstOrDefault(c => c.Type is "Complete" or "Failed" && c.Status == "True");
        return end is null ? null : (end.Type == "Complete", end.Reason is { Length: > 0 } reason ? $"{reason}: {end.Message}" : end.Type);
    }
}
