using System.CommandLine;
using Keelson.Cli.Output;

namespace Keelson.Cli.Commands;

/// <summary><c>keelson top STACK</c>: CPU and memory of a delivered stack's pods and their nodes, like <c>kubectl top</c>, from the saved sandbox.</summary>
internal static class TopCommand
{
    public static Command Create(Terminal terminal)
    {
        var sortBy = new Option<string>("--sort-by") { Description = "Order rows by name, or heaviest first by cpu or memory.", DefaultValueFactory = _ => "name" };
        sortBy.OnlyFrom("name", "cpu", "memory");
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        output.OnlyFrom("table", "json");
        return StackCommands.Create(
            terminal,
            "top",
            "Show CPU and memory of a delivered stack's pods and of the nodes they run on, like kubectl top, at the saved sandbox's clock.",
            async (parse, target, manifest, cancellationToken) =>
            {
                if (target.Sandbox is not { } sandbox)
                {
                    // A real cluster has its own metrics-server; reading it belongs to kubectl.
                    await terminal.Error.WriteLineAsync($"keelson: top reads the embedded sandbox; for {target.Cluster.Description} use kubectl top pods -n {manifest.Namespace}").ConfigureAwait(false);
                    return KeelsonCli.BadInput;
                }

                if (await Delivery.Inventory.Inventory.ReadAsync(target.Cluster, manifest.Namespace, cancellationToken).ConfigureAwait(false) is null)
                {
                    await terminal.Error.WriteLineAsync($"keelson: {manifest.Namespace} has not been delivered to {target.Cluster.Description}; run keelson up first").ConfigureAwait(false);
                    return KeelsonCli.Findings;
                }

                var report = TopReport.Read(sandbox.Context, manifest.Namespace, parse.GetValue(sortBy)!);
                if (parse.GetValue(output) == "json")
                {
                    await terminal.Out.WriteLineAsync(report.ToJson()).ConfigureAwait(false);
                }
                else
                {
                    report.WriteTable(terminal.Console());
                }

                return KeelsonCli.Ok;
            },
            null,
            sortBy,
            output);
    }
}
