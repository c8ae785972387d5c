using k8s.Models;
using Keelson.Rendering.Objects;
using Keelson.Sandbox.Controllers;
using Keelson.Sandbox.Engine;

namespace Keelson.Sandbox.Metrics;

/// <summary>
/// Keelson's <c>keelson_queue_pending_jobs{tenant,queue}</c> as the sandbox can read it: the Jobs of namespace
/// <c>tenant</c> labelled with the queue that are suspended, waiting for admission, and not finished — the count
/// Keelson's admitter of stack queues reports for the gauge. An HPA (or the external metrics API) naming this metric
/// with both labels in its selector reads that count instead of the usage model's load.
/// </summary>
public static class QueueBacklog
{
    /// <summary>The gauge's name.</summary>
    public const string Metric = "keelson_queue_pending_jobs";

    /// <summary>The waiting Jobs the selector names, or null when this is another metric or the selector lacks tenant or queue.</summary>
    public static int? Read(SandboxContext context, string metric, IDictionary<string, string>? selector)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (metric != Metric || selector is null || !selector.TryGetValue("tenant", out var tenant) || !selector.TryGetValue("queue", out var queue))
        {
            return null;
        }

        return context.Store.List<V1Job>(tenant).Count(j =>
            j.Spec.Suspend == true && JobController.Finished(j) is null && j.Metadata.DeletionTimestamp is null
            && j.Metadata.Labels?.TryGetValue(QueuedJobs.QueueLabel, out var q) == true && q == queue);
    }
}
