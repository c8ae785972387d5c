using System.CommandLine;
using System.Globalization;
using Keelson.Cli.Output;
using Keelson.Delivery;
using Keelson.Sandbox.Engine;

namespace Keelson.Cli.Commands;

/// <summary><c>keelson up STACK</c>: plan → render → validate → apply to the embedded sandbox (or a real cluster) → wait → report.</summary>
internal static class UpCommand
{
    public static Command Create(Terminal terminal)
    {
        var fresh = new Option<bool>("--fresh") { Description = "Start from an empty sandbox instead of the saved one." };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "Longest wait for readiness, in cluster time (e.g. 00:15:00).", DefaultValueFactory = _ => TimeSpan.FromMinutes(15) };
        return StackCommands.Create(
            terminal,
            "up",
            "Plan, render, validate and deliver a stack to the embedded sandbox (or a real cluster), then show where everything runs.",
            async (parse, open, manifest, cancellationToken) =>
            {
                var objects = manifest.Objects.Select(o => o.Resource).ToList();
                if (open.Sandbox is { } sandbox)
                {
                    sandbox.Context.Load = PlannedLoad.From(objects);
                }

                var started = open.Cluster.Time.GetUtcNow();
                await terminal.Error.WriteLineAsync($"keelson: delivering {objects.Count} objects of {manifest.Namespace} to {open.Cluster.Description}").ConfigureAwait(false);
                var result = await new Deployer(open.Cluster, new DeployOptions { Timeout = parse.GetValue(timeout) })
                    .DeployAsync(manifest.Namespace, objects, new LineProgress(terminal.Error, started), cancellationToken).ConfigureAwait(false);

                await ClusterReport.WriteAsync(open.Cluster, manifest.Plan.Spec.Cluster, manifest.Namespace, terminal.Console(), cancellationToken).ConfigureAwait(false);
                await open.SaveAsync().ConfigureAwait(false);
                var summary = result.Outcome switch
                {
                    DeployOutcome.Succeeded => $"keelson: {manifest.Namespace} is up (revision {result.Revision}, {result.Pruned.Count} pruned) after {result.Elapsed:hh\\:mm\\:ss} of cluster time",
                    DeployOutcome.RolledBack => $"keelson: delivery failed ({result.Error}); rolled back to revision {result.Revision}",
                    _ => $"keelson: delivery failed: {result.Error}",
                };
                await terminal.Error.WriteLineAsync(summary).ConfigureAwait(false);
                return result.Succeeded ? KeelsonCli.Ok : KeelsonCli.Findings;
            },
            fresh,
            timeout);
    }

    /// <summary>Prints each progress event as it happens, stamped with cluster time since the start.</summary>
    private sealed class LineProgress(TextWriter writer, DateTimeOffset start) : IProgress<DeployEvent>
    {
        public void Report(DeployEvent value) =>
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{value.At - start:hh\\:mm\\:ss}] {(value.Key is null ? "" : value.Key + ": ")}{value.Message}"));
    }
}
