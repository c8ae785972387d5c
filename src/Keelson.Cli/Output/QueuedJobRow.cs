using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Operations.Jobs;
using Keelson.Rendering.Objects;
using Spectre.Console;

namespace Keelson.Cli.Output;

/// <summary>A stack queue's Job as the CLI lists it: its queue, priority, state, pool, admission order and why it waits.</summary>
internal sealed record QueuedJobRow(string Name, string Queue, int Priority, string State, string? Pool, long? Order, string? Reason, DateTime Created)
{
    /// <summary>The row of <paramref name="job"/> (a Job labelled with a queue).</summary>
    public static QueuedJobRow Of(V1Job job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var annotations = job.Metadata.Annotations ?? new Dictionary<string, string>();
        var state = JobManifest.Outcome(job) is { } outcome ? (outcome.Succeeded ? "succeeded" : "failed") : job.Spec.Suspend == true ? "waiting" : "running";
        return new QueuedJobRow(
            job.Metadata.Name,
            job.Metadata.Labels[QueuedJobs.QueueLabel],
            QueuedJobAdmitter.Workload(job).Priority,
            state,
            job.Metadata.Labels.TryGetValue(QueuedJobs.FlavorLabel, out var pool) ? pool : null,
            annotations.TryGetValue(QueuedJobAdmitter.AdmittedAnnotation, out var order) && long.TryParse(order, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null,
            state == "waiting" && annotations.TryGetValue(QueuedJobAdmitter.WaitingAnnotation, out var reason) ? reason : null,
            job.Metadata.CreationTimestamp ?? default);
    }

    /// <summary>Admitted Jobs in admission order, then the waiting ones in creation order (then name).</summary>
    public static List<QueuedJobRow> Ordered(IEnumerable<V1Job> jobs) =>
        [.. jobs.Select(Of).OrderBy(r => r.Order ?? long.MaxValue).ThenBy(r => r.Created).ThenBy(r => r.Name, StringComparer.Ordinal)];

    /// <summary>The row as JSON.</summary>
    public JsonObject ToJson() => new()
    {
        ["name"] = Name, ["queue"] = Queue, ["priority"] = Priority, ["state"] = State, ["pool"] = Pool, ["admission"] = Order, ["reason"] = Reason,
    };

    /// <summary>The rows as a table titled with the namespace.</summary>
    public static Table Table(string ns, IEnumerable<QueuedJobRow> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("Queued Jobs of " + ns);
        foreach (var column in new[] { "NAME", "QUEUE", "PRIORITY", "STATE", "POOL", "ADMISSION", "REASON" })
        {
            table.AddColumn(column);
        }

        foreach (var r in rows)
        {
            table.AddRow([.. new[] { r.Name, r.Queue, r.Priority.ToString(CultureInfo.InvariantCulture), r.State, r.Pool ?? "", r.Order?.ToString(CultureInfo.InvariantCulture) ?? "", r.Reason ?? "" }.Select(Markup.Escape)]);
        }

        return table;
    }
}
