using System.Globalization;
using k8s.Models;
using Keelson.Spec.Model;

namespace Keelson.Rendering.Objects;

/// <summary>
/// How a job or cronjob naming a stack queue is rendered: the Job (a CronJob's job template) is suspended and carries
/// its queue and priority, and its pods are not pinned to a pool, so that Keelson's admitter decides when it runs and
/// where — it unsuspends the Job with the admitted pool's node affinity and tolerations, as Kueue does.
/// </summary>
public static class QueuedJobs
{
    /// <summary>The label naming a Job's queue (also on Jobs Keelson's job API creates).</summary>
    public const string QueueLabel = "keelson.dev/queue";

    /// <summary>The annotation with a queued Job's priority (an integer; label values cannot start with '-').</summary>
    public const string PriorityAnnotation = "keelson.dev/priority";

    /// <summary>The annotation with the GPU type a queued Job's pods ask for; the admitter charges that type's quota and picks a pool of it.</summary>
    public const string GpuTypeAnnotation = "keelson.dev/gpu-type";

    /// <summary>The extended resource a GPU is requested as.</summary>
    public const string GpuResource = "nvidia.com/gpu";

    /// <summary>The label the admitter sets on an admitted Job: the pool (flavor) whose quota it holds.</summary>
    public const string FlavorLabel = "keelson.dev/flavor";

    /// <summary>Suspends <paramref name="spec"/> and unpins its pods when <paramref name="job"/> names a queue; adds the queue label and priority annotation to <paramref name="metadata"/>.</summary>
    public static void Apply(JobComponent job, V1ObjectMeta metadata, V1JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(spec);
        if (job.Queue is not { } queue)
        {
            return;
        }

        spec.Suspend = true;
        metadata.Labels = new SortedDictionary<string, string>(metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [QueueLabel] = queue };
        metadata.Annotations = new SortedDictionary<string, string>(metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [PriorityAnnotation] = job.Priority.ToString(CultureInfo.InvariantCulture),
        };
        if (job.Gpus > 0 && job.Device.Gpu is { } gpu)
        {
            // Requested as well as limited, so that what the admitter reads is what the scheduler and the autoscaler see.
            metadata.Annotations[GpuTypeAnnotation] = gpu.ToString();
            foreach (var container in spec.Template.Spec.Containers)
            {
                container.Resources.Requests[GpuResource] = new ResourceQuantity(job.Gpus.ToString(CultureInfo.InvariantCulture));
            }
        }

        spec.Template.Spec.Affinity = null;
        spec.Template.Spec.Tolerations = null;
        spec.Template.Spec.NodeSelector = null;
    }
}
