using System.Globalization;
using k8s.Models;
using Keelson.Sandbox.Engine;
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
                    var pod = Pods.FromTemplate(job.Spec.Template, context.FreeName<V1Pod>(job.Metadata.NamespaceProperty, job.Metadata.Name), job.Metadata.NamespaceProperty, job,
                        new Dictionary<string, string> { [JobNameLabel] = job.Metadata.Name, ["job-name"] = job.Metadata.Name });
                    context.Store.Create(pod);
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
        context.Store.Update(job);
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
        context.Store.Update(job);
    }

    /// <summary>The name of a Job a CronJob starts for a scheduled time: the minutes since the epoch, as Kubernetes names them.</summary>
    public static string ScheduledName(string cronJob, DateTimeOffset scheduled) =>
        string.Create(CultureInfo.InvariantCulture, $"{cronJob}-{scheduled.ToUnixTimeSeconds() / 60}");
}
