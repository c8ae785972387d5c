using Cronos;
using k8s.Models;
using Keelson.Sandbox.Engine;
using Keelson.Sandbox.Fields;
using Keelson.Sandbox.Store;

namespace Keelson.Sandbox.Controllers;

/// <summary>
/// CronJob → Jobs at each scheduled time (standard five-field cron, the CronJob's time zone), honouring
/// <c>concurrencyPolicy</c> (Allow, Forbid, Replace), <c>startingDeadlineSeconds</c>, <c>suspend</c> and the
/// successful/failed history limits.
/// </summary>
public sealed class CronJobController : IController
{
    /// <inheritdoc/>
    public void Reconcile(SandboxContext context)
    {
        foreach (var cron in context.Store.List<V1CronJob>().ToList())
        {
            var ns = cron.Metadata.NamespaceProperty;
            var jobs = context.Store.OwnedBy<V1Job>(cron).OrderBy(j => j.Metadata.CreationTimestamp).ToList();
            var running = jobs.Where(j => JobController.Finished(j) is null).ToList();
            PruneHistory(context, cron, jobs);

            if (cron.Spec.Suspend == true || !TryParse(cron.Spec.Schedule, out var expression))
            {
                UpdateStatus(context, cron, running, null);
                continue;
            }

            var zone = cron.Spec.TimeZone is { } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found) ? found : TimeZoneInfo.Utc;
            var from = new DateTimeOffset(cron.Status?.LastScheduleTime ?? cron.Metadata.CreationTimestamp ?? context.Now, TimeSpan.Zero);
            var now = context.Clock.GetUtcNow();

            // The latest missed occurrence is the one that runs; earlier ones are skipped, as the controller does.
            DateTimeOffset? due = null;
            for (var next = expression.GetNextOccurrence(from, zone); next is { } n && n <= now; next = expression.GetNextOccurrence(n, zone))
            {
                due = n;
            }

            if (due is not { } scheduled)
            {
                UpdateStatus(context, cron, running, null);
                continue;
            }

            if (cron.Spec.StartingDeadlineSeconds is { } deadline && now - scheduled > TimeSpan.FromSeconds(deadline))
            {
                context.Event(cron.Metadata, "CronJob", "Warning", "MissSchedule", $"Missed scheduled time to start a job: {scheduled:O}");
                UpdateStatus(context, cron, running, scheduled);
                continue;
            }

            var policy = cron.Spec.ConcurrencyPolicy ?? "Allow";
            if (policy == "Forbid" && running.Count > 0)
            {
                context.Event(cron.Metadata, "CronJob", "Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
                UpdateStatus(context, cron, running, scheduled);
                continue;
            }

            if (policy == "Replace")
            {
                running.ForEach(j => context.Store.Delete(StoreKey.Of(j)));
                running.Clear();
            }

            var name = JobController.ScheduledName(cron.Metadata.Name, scheduled);
            if (context.Store.Get<V1Job>(ns, name) is null)
            {
                var template = cron.Spec.JobTemplate;
                var job = context.Store.Create(new V1Job
                {
                    ApiVersion = "batch/v1",
                    Kind = "Job",
                    Metadata = new V1ObjectMeta
                    {
                        Name = name,
                        NamespaceProperty = ns,
                        Labels = template.Metadata?.Labels is { } l ? new Dictionary<string, string>(l) : null,
                        // The template's annotations are copied as the CronJob controller copies them (a queued Job's priority rides on one).
                        Annotations = new Dictionary<string, string>(template.Metadata?.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal)
                        {
                            ["batch.kubernetes.io/cronjob-scheduled-timestamp"] = scheduled.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                        },
                        OwnerReferences = [Pods.ControllerReference(cron)],
                    },
                    Spec = Copy.Deep(template.Spec),
                });
                running.Add(job);
                context.Event(cron.Metadata, "CronJob", "Normal", "SuccessfulCreate", $"Created job {name}");
            }

            UpdateStatus(context, cron, running, scheduled);
        }
    }

    /// <summary>Whether a cron expression (five fields, or a macro such as <c>@daily</c>) parses.</summary>
    public static bool TryParse(string schedule, out CronExpression expression)
    {
        try
        {
            expression = CronExpression.Parse(schedule, CronFormat.Standard);
            return true;
        }
        catch (CronFormatException)
        {
            expression = CronExpression.Daily;
            return false;
        }
    }

    private static void PruneHistory(SandboxContext context, V1CronJob cron, List<V1Job> jobs)
    {
        var succeeded = jobs.Where(j => j.Status?.Conditions?.Any(c => c.Type == "Complete" && c.Status == "True") == true).ToList();
        var failed = jobs.Where(j => j.Status?.Conditions?.Any(c => c.Type == "Failed" && c.Status == "True") == true).ToList();
        foreach (var job in succeeded.SkipLast(cron.Spec.SuccessfulJobsHistoryLimit ?? 3).Concat(failed.SkipLast(cron.Spec.FailedJobsHistoryLimit ?? 1)))
        {
            context.Store.Delete(StoreKey.Of(job));
        }
    }

    private static void UpdateStatus(SandboxContext context, V1CronJob cron, List<V1Job> running, DateTimeOffset? scheduled)
    {
        var last = scheduled?.UtcDateTime ?? cron.Status?.LastScheduleTime;
        var active = running.Select(j => j.Metadata.Name).ToList();
        if (cron.Status is { } status && status.LastScheduleTime == last && (status.Active?.Select(a => a.Name) ?? []).SequenceEqual(active))
        {
            return;
        }

        cron.Status = new V1CronJobStatus
        {
            LastScheduleTime = last,
            LastSuccessfulTime = cron.Status?.LastSuccessfulTime,
            Active = active.Count == 0 ? null : [.. running.Select(j => new V1ObjectReference { Kind = "Job", Name = j.Metadata.Name, NamespaceProperty = j.Metadata.NamespaceProperty, Uid = j.Metadata.Uid })],
        };
        context.WriteStatus(cron, ComponentWrites.ControllerManager);
    }
}
