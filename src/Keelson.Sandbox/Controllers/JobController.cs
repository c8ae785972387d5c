using System.Globalization;
using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Fields;
using Keelson.Sandbox.Store;

namespace Keelson.Sandbox.Controllers;

/// <summary>
/// Job → pods: up to <c>parallelism</c> at a time until <c>completions</c> succeed; failed pods are retried after the
/// Job back-off (10 s doubling, capped at 6 min) until <c>backoffLimit</c>; <c>activeDeadlineSeconds</c> fails the
/// Job; <c>ttlSecondsAfterFinished</c> deletes it.
/// </summary>
public sealed class JobController : IController
{
    /// <summary>Label Kubernetes puts on a Job's pods.</summary>
    public const string JobNameLabel = "batch.kubernetes.io/job-name";

    /// <summary>The pre-1.27 name of <see cref="JobNameLabel"/>, still set beside it.</summary>
    public const string LegacyJobNameLabel = "job-name";

    /// <summary>The label with the Job's uid that its generated selector matches.</summary>
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";

    /// <summary>The pre-1.27 name of <see cref="ControllerUidLabel"/>, still set beside it.</summary>
    public const string LegacyControllerUidLabel = "controller-uid";

    /// <summary>
    /// What the API server's Job strategy does to a new Job unless <c>manualSelector</c> is true: the pod template gets
    /// the job-name and controller-uid labels (both spellings; labels the template already has are kept) and the
    /// selector matches the uid alone. Needs the uid, so it runs when the Job is created.
    /// </summary>
    public static void GenerateSelector(V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (job.Spec is not { ManualSelector: not true } spec || job.Metadata.Uid is not { } uid)
        {
            return;
        }

        spec.Template ??= new V1PodTemplateSpec();
        spec.Template.Metadata ??= new V1ObjectMeta();
        var labels = spec.Template.Metadata.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
        labels.TryAdd(LegacyJobNameLabel, job.Metadata.Name);
        labels.TryAdd(JobNameLabel, job.Metadata.Name);
        labels.TryAdd(LegacyControllerUidLabel, uid);
        labels.TryAdd(ControllerUidLabel, uid);
        spec.Selector ??= new V1LabelSelector();
        spec.Selector.MatchLabels ??= new Dictionary<string, string>(StringComparer.Ordinal);
        spec.Selector.MatchLabels.TryAdd(ControllerUidLabel, uid);
    }

    /// <summary>
    /// Keeps on <paramref name="applied"/> the generated selector and template labels of <paramref name="existing"/>
    /// that it does not mention (both are immutable upstream; an apply that leaves them out does not remove them).
    /// </summary>
    public static void KeepGeneratedSelector(V1Job applied, V1Job existing)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(existing);
        if (applied.Spec is not { ManualSelector: not true } spec || existing.Spec?.Selector is null)
        {
            return;
        }

        spec.Selector ??= existing.Spec.Selector;
        if (existing.Spec.Template?.Metadata?.Labels is { } generated)
        {
            spec.Template ??= new V1PodTemplateSpec();
            spec.Template.Metadata ??= new V1ObjectMeta();
            var labels = spec.Template.Metadata.Labels ??= new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var key in new[] { LegacyJobNameLabel, JobNameLabel, LegacyControllerUidLabel, ControllerUidLabel })
            {
                if (generated.TryGetValue(key, out var value))
                {
                    labels.TryAdd(key, value);
                }
            }
        }
    }

    /// <inheritdoc/>
    public void Reconcile(SandboxContext context)
    {
        foreach (var job in context.Store.List<V1Job>().ToList())
        {
            if (Finished(job) is { } finishedAt)
            {
                if (job.Spec.TtlSecondsAfterFinished is { } ttl && context.Now >= finishedAt.AddSeconds(ttl))
                {
                    context.Store.Delete(StoreKey.Of(job));
                }

                continue;
            }

            if (job.Spec.Suspend == true)
            {
                Suspend(context, job);
                continue;
            }

            var pods = context.Store.OwnedBy<V1Pod>(job).ToList();
            var active = pods.Where(Pods.IsActive).ToList();
            var succeeded = pods.Count(p => p.Status?.Phase == "Succeeded");
            var failed = pods.Count(p => p.Status?.Phase == "Failed");
            var completions = job.Spec.Completions ?? 1;
            var start = job.Status?.StartTime ?? context.Now;

            string? failure = null;
            if (failed > (job.Spec.BackoffLimit ?? 6))
            {
                failure = "BackoffLimitExceeded";
            }
            else if (job.Spec.ActiveDeadlineSeconds is { } deadline && context.Now >= start.AddSeconds(deadline))
            {
                failure = "DeadlineExceeded";
            }

            if (failure is not null)
            {
                active.ForEach(p => Pods.Terminate(context, p));
                SetStatus(context, job, start, 0, succeeded, failed, ("Failed", failure, failure == "DeadlineExceeded" ? "Job was active longer than specified deadline" : "Job has reached the specified backoff limit"));
                context.Event(job.Metadata, "Job", "Warning", failure, failure);
                continue;
            }

            if (succeeded >= completions)
            {
                SetStatus(context, job, start, active.Count, succeeded, failed, ("Complete", "Completed", "Reached expected number of succeeded pods"));
                context.Event(job.Metadata, "Job", "Normal", "Completed", "Job completed");
                continue;
            }

            var lastFailure = pods.Where(p => p.Status?.Phase == "Failed").Select(p => p.Status.ContainerStatuses?.FirstOrDefault()?.State?.Terminated?.FinishedAt).Max();
            var backoff = TimeSpan.FromSeconds(Math.Min(10 * Math.Pow(2, Math.Max(failed - 1, 0)), 360));
            var want = Math.Min(job.Spec.Parallelism ?? 1, completions - succeeded);
            if (active.Count < want && (failed == 0 || lastFailure is null || context.Now >= lastFailure.Value + backoff))
            {
                for (var i = active.Count; i < want; i++)
                {
                    // The pods carry the template's labels, the generated ones included (GenerateSelector).
                    var pod = Pods.FromTemplate(job.Spec.Template, context.FreeName<V1Pod>(job.Metadata.NamespaceProperty, job.Metadata.Name), job.Metadata.NamespaceProperty, job);
                    context.CreateAs(pod, ComponentWrites.ControllerManager);
                    active.Add(pod);
                }
            }

            SetStatus(context, job, start, active.Count, succeeded, failed, null);
        }
    }

    /// <summary>
    /// A suspended Job runs no pods: active ones are terminated, <c>startTime</c> is cleared (the deadline counts again
    /// from the resume) and the <c>Suspended</c> condition is set, as the Job controller does.
    /// </summary>
    private static void Suspend(SandboxContext context, V1Job job)
    {
        var active = context.Store.OwnedBy<V1Pod>(job).Where(Pods.IsActive).ToList();
        active.ForEach(p => Pods.Terminate(context, p));
        if (job.Status is null || (job.Status.StartTime is null && job.Status.Active is null or 0 && job.Status.Conditions?.Any(c => c.Type == "Suspended") == true))
        {
            return;
        }

        job.Status = new V1JobStatus
        {
            Active = 0,
            Ready = 0,
            Succeeded = job.Status.Succeeded,
            Failed = job.Status.Failed,
            Conditions = [new V1JobCondition { Type = "Suspended", Status = "True", Reason = "JobSuspended", Message = "Job suspended", LastTransitionTime = context.Now, LastProbeTime = context.Now }],
        };
        context.WriteStatus(job, ComponentWrites.ControllerManager);
        context.Event(job.Metadata, "Job", "Normal", "Suspended", "Job suspended");
    }

    /// <summary>When the Job completed or failed, or null while it runs.</summary>
    public static DateTime? Finished(V1Job job) =>
        job.Status?.Conditions?.FirstOrDefault(c => c.Type is "Complete" or "Failed" && c.Status == "True")?.LastTransitionTime;

    private static void SetStatus(SandboxContext context, V1Job job, DateTime start, int active, int succeeded, int failed, (string Type, string Reason, string Message)? end)
    {
        var status = job.Status;
        if (end is null && status is not null && status.Active == active && status.Succeeded == succeeded && status.Failed == failed && status.StartTime == start)
        {
            return;
        }

        job.Status = new V1JobStatus
        {
            StartTime = start,
            Active = active,
            Succeeded = succeeded,
            Failed = failed,
            Ready = active,
            CompletionTime = end?.Type == "Complete" ? context.Now : null,
            Conditions = end is { } e
                ? [new V1JobCondition { Type = e.Type, Status = "True", Reason = e.Reason, Message = e.Message, LastTransitionTime = context.Now, LastProbeTime = context.Now }]
                : null,
        };
        context.WriteStatus(job, ComponentWrites.ControllerManager);
    }

    /// <summary>The name of a Job a CronJob starts for a scheduled time: the minutes since the epoch, as Kubernetes names them.</summary>
    public static string ScheduledName(string cronJob, DateTimeOffset scheduled) =>
        string.Create(CultureInfo.InvariantCulture, $"{cronJob}-{scheduled.ToUnixTimeSeconds() / 60}");
}
