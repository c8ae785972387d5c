using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using Keelson.Operations.Jobs;
using Keelson.Rendering.Objects;
using Keelson.Cli.Output;

namespace Keelson.Cli.Commands;

/// <summary>
/// <c>keelson jobs admit STACK [--for D] [--every S]</c>: the stack queues' admitter without a server, on the stack's
/// saved sandbox (letting cluster time pass) or a real cluster (<c>--kubeconfig</c>), then the queued Jobs.
/// </summary>
internal static class JobsAdmitCommand
{
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
                var rows = QueuedJobRow.Ordered(listed.OfType<V1Job>());
                if (parse.GetValue(output) == "json")
                {
                    var json = new JsonObject
                    {
                        ["namespace"] = manifest.Namespace,
                        ["admitted"] = new JsonArray([.. admitted.Select(a => (JsonNode)a)]),
                        ["jobs"] = new JsonArray([.. rows.Select(r => (JsonNode)r.ToJson())]),
                    };
                    await terminal.Out.WriteLineAsync(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true })).ConfigureAwait(false);
                }
                else
                {
                    terminal.Console().Write(QueuedJobRow.Table(manifest.Namespace, rows));
                }

                await terminal.Error.WriteLineAsync($"keelson: {admitted.Count} admitted in {target.Cluster.Time.GetUtcNow() - start:hh\\:mm\\:ss} of cluster time on {target.Cluster.Description}; {rows.Count(r => r.State == "waiting")} waiting, {rows.Count(r => r.State == "running")} running").ConfigureAwait(false);
                return KeelsonCli.Ok;
            },
            null,
            duration,
            every,
            output);
    }
}
