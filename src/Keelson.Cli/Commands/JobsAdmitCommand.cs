using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Operations.Jobs;
using Keelson.Rendering.Objects;
using Spectre.Console;

namespace Keelson.Cli.Commands;

/// <summary>
/// <c>keelson jobs admit STACK [--for D] [--every S]</c>: the stack queues' admitter without a server, on the stack's
/// saved sandbox (letting cluster time pass) or a real cluster (<c>--kubeconfig</c>), then the queued Jobs.
/// </summary>
internal static class JobsAdmitCommand
{
    private static readonly string[] Columns = ["NAME", "QUEUE", "PRIORITY", "STATE", "POOL", "ADMISSION", "REASON"];

    public static Command Create(Terminal terminal)
    {
        var duration = new Option<TimeSpan>("--for") { Description = "Cluster time to keep admitting for (sandbox: simulated at once), e.g. 00:30:00; 0 for one pass.", DefaultValueFactory = _ => TimeSpan.Zero };
        var every = new Option<TimeSpan>("--every") { Description = "Time between passes.", DefaultValueFactory = _ => TimeSpan.FromSeconds(10) };
        var output = new Option<string>("--output", "-o") { Description = "A table or JSON.", DefaultValueFactory = _ => "table" };
        output.OnlyFrom("table", "json");
        return StackCommands.Create(
            terminal,
            "admit",
            "Admit the stack's queued Jobs (stack queues) on its sandbox or cluster without a server, then list them.",
            async (parse, target, manifest, cancellationToken) =>
            {
                var stack = manifest.Plan.Spec;
                if (stack.Queues.Count == 0)
                {
                    await terminal.Error.WriteLineAsync($"keelson: {stack.Source} declares no queues; add them under 'queues' and name one in a job's 'queue'").ConfigureAwait(false);
                    return KeelsonCli.BadInput;
                }

                if (parse.GetValue(every) <= TimeSpan.Zero || parse.GetValue(duration) < TimeSpan.Zero)
                {
                    await terminal.Error.WriteLineAsync("keelson: --every must be positive and --for not negative").ConfigureAwait(false);
                    return KeelsonCli.BadInput;
                }

                var admitter = new QueuedJobAdmitter(stack, target.Cluster);
                var start = target.Cluster.Time.GetUtcNow();
                var admitted = new List<string>();
                while (true)
                {
                    var pass = await admitter.PassAsync(cancellationToken).ConfigureAwait(false);
                    foreach (var (job, flavor) in pass.Admitted)
                    {
                        admitted.Add(job);
                        await terminal.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  [{target.Cluster.Time.GetUtcNow() - start:hh\\:mm\\:ss}] {job}: admitted on {flavor}")).ConfigureAwait(false);
                    }

                    foreach (var job in pass.Evicted)
                    {
                        await terminal.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  [{target.Cluster.Time.GetUtcNow() - start:hh\\:mm\\:ss}] {job}: preempted")).ConfigureAwait(false);
                    }

                    if (target.Cluster.Time.GetUtcNow() - start >= parse.GetValue(duration))
                    {
                        break;
                    }

                    await target.Cluster.WaitAsync(parse.GetValue(every), cancellationToken).ConfigureAwait(false);
                }

                await target.SaveAsync().ConfigureAwait(false);
                var listed = await target.Cluster.ListAsync("batch/v1", "Job", manifest.Namespace, QueuedJobs.QueueLabel, cancellationToken).ConfigureAwait(false);
                var rows = listed.OfType<V1Job>().Select(Row).OrderBy(r => r.Order ?? long.MaxValue).ThenBy(r => r.Created).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
                if (parse.GetValue(output) == "json")
                {
                    var json = new JsonObject
                    {
                        ["namespace"] = manifest.Namespace,
                        ["admitted"] = new JsonArray([.. admitted.Select(a => (JsonNode)a)]),
                        ["jobs"] = new JsonArray([.. rows.Select(r => (JsonNode)new JsonObject
                        {
                            ["name"] = r.Name, ["queue"] = r.Queue, ["priority"] = r.Priority, ["state"] = r.State, ["pool"] = r.Pool, ["admission"] = r.Order, ["reason"] = r.Reason,
                        })]),
                    };
                    await terminal.Out.WriteLineAsync(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
                }
                else
                {
                    var table = new Table().Border(TableBorder.Rounded).Title("Queued Jobs of " + manifest.Namespace);
                    foreach (var column in Columns)
                    {
                        table.AddColumn(column);
                    }

                    foreach (var r in rows)
                    {
                        table.AddRow([.. new[] { r.Name, r.Queue, r.Priority.ToString(CultureInfo.InvariantCulture), r.State, r.Pool ?? "", r.Order?.ToString(CultureInfo.InvariantCulture) ?? "", r.Reason ?? "" }.Select(Markup.Escape)]);
                    }

                    terminal.Console().Write(table);
                }

                await terminal.Error.WriteLineAsync($"keelson: {admitted.Count} admitted in {target.Cluster.Time.GetUtcNow() - start:hh\\:mm\\:ss} of cluster time on {target.Cluster.Description}; {rows.Count(r => r.State == "waiting")} waiting, {rows.Count(r => r.State == "running")} running").ConfigureAwait(false);
                return KeelsonCli.Ok;
            },
            null,
            duration,
            every,
            output);
    }

    private sealed record JobRow(string Name, string Queue, int Priority, string State, string? Pool, long? Order, string? Reason, DateTime Created);

    private static JobRow Row(V1Job job)
    {
        var annotations = job.Metadata.Annotations ?? new Dictionary<string, string>();
        var state = JobManifest.Outcome(job) is { } outcome ? (outcome.Succeeded ? "succeeded" : "failed") : job.Spec.Suspend == true ? "waiting" : "running";
        return new JobRow(
            job.Metadata.Name,
            job.Metadata.Labels[QueuedJobs.QueueLabel],
            QueuedJobAdmitter.Workload(job).Priority,
            state,
            job.Metadata.Labels.TryGetValue(QueuedJobs.FlavorLabel, out var pool) ? pool : null,
            annotations.TryGetValue(QueuedJobAdmitter.AdmittedAnnotation, out var order) && long.TryParse(order, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null,
            state == "waiting" && annotations.TryGetValue(QueuedJobAdmitter.WaitingAnnotation, out var reason) ? reason : null,
            job.Metadata.CreationTimestamp ?? default);
    }
}
