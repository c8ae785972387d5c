using System.CommandLine;
using System.Globalization;
using Keelson.Cli.Output;
using Keelson.Delivery;
using Keelson.Rendering;
using Keelson.Sandbox.Engine;

namespace Keelson.Cli.Commands;

/// <summary><c>keelson up STACK</c>: plan → render → validate → apply to the embedded sandbox (or a real cluster) → wait → report.</summary>
internal static class UpCommand
{
    public static Command Create(Terminal terminal)
    {
        var stack = new Argument<string>("stack") { Description = "Stack file (YAML or JSON)." };
        var cluster = new Option<string?>("--cluster") { Description = "A built-in cluster profile or a cluster file, replacing the stack's own." };
        var fresh = new Option<bool>("--fresh") { Description = "Start from an empty sandbox instead of the saved one." };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "Longest wait for readiness, in cluster time (e.g. 00:15:00).", DefaultValueFactory = _ => TimeSpan.FromMinutes(15) };
        var target = ClusterTarget.CreateOptions();

        var command = new Command("up", "Plan, render, validate and deliver a stack to the embedded sandbox (or a real cluster), then show where everything runs.");
        command.Arguments.Add(stack);
        command.Options.Add(cluster);
        command.Options.Add(fresh);
        command.Options.Add(timeout);
        target.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (manifest, exit) = await ValidatedRender.LoadAsync(parse.GetValue(stack)!, parse.GetValue(cluster), terminal, cancellationToken).ConfigureAwait(false);
            if (manifest is null)
            {
                return exit;
            }

            var plan = manifest.Plan;

            await using var open = await ClusterTarget.TryOpenAsync(parse, target, plan.Spec.Cluster, parse.GetValue(fresh), terminal, cancellationToken).ConfigureAwait(false);
            if (open is null)
            {
                return KeelsonCli.BadInput;
            }

            var objects = manifest.Objects.Select(o => o.Resource).ToList();
            if (open.Sandbox is { } sandbox)
            {
                sandbox.Context.Load = PlannedLoad.From(objects);
            }

            var started = open.Cluster.Time.GetUtcNow();
            await terminal.Error.WriteLineAsync($"keelson: delivering {objects.Count} objects of {manifest.Namespace} to {open.Cluster.Description}").ConfigureAwait(false);
            var result = await new Deployer(open.Cluster, new DeployOptions { Timeout = parse.GetValue(timeout) })
                .DeployAsync(manifest.Namespace, objects, new LineProgress(terminal.Error, started), cancellationToken).ConfigureAwait(false);

            await ClusterReport.WriteAsync(open.Cluster, plan.Spec.Cluster, manifest.Namespace, terminal.Console(), cancellationToken).ConfigureAwait(false);
            await open.SaveAsync().ConfigureAwait(false);
            var summary = result.Outcome switch
            {
                DeployOutcome.Succeeded => $"keelson: {manifest.Namespace} is up (revision {result.Revision}, {result.Pruned.Count} pruned) after {result.Elapsed:hh\\:mm\\:ss} of cluster time",
                DeployOutcome.RolledBack => $"keelson: delivery failed ({result.Error}); rolled back to revision {result.Revision}",
                _ => $"keelson: delivery failed: {result.Error}",
            };
            await terminal.Error.WriteLineAsync(summary).ConfigureAwait(false);
            return result.Succeeded ? KeelsonCli.Ok : KeelsonCli.Findings;
        });
        return command;
    }

    /// <summary>Prints each progress event as it happens, stamped with cluster time since the start.</summary>
    private sealed class LineProgress(TextWriter writer, DateTimeOffset start) : IProgress<DeployEvent>
    {
        public void Report(DeployEvent value) =>
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{value.At - start:hh\\:mm\\:ss}] {(value.Key is null ? "" : value.Key + ": ")}{value.Message}"));
    }
}
