using System.CommandLine;
using System.Globalization;
using Keelson.Cli.Output;
using Keelson.Delivery;
using Keelson.Rendering;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;

namespace Keelson.Cli.Commands;

/// <summary><c>keelson up STACK</c>: plan → render → validate → apply to the embedded sandbox → wait → report.</summary>
internal static class UpCommand
{
    public static Command Create(Terminal terminal)
    {
        var stack = new Argument<string>("stack") { Description = "Stack file (YAML or JSON)." };
        var cluster = new Option<string?>("--cluster") { Description = "A built-in cluster profile or a cluster file, replacing the stack's own." };
        var state = SandboxStore.StateOption();
        var fresh = new Option<bool>("--fresh") { Description = "Start from an empty sandbox instead of the saved one." };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "Longest wait for readiness, in cluster time (e.g. 00:15:00).", DefaultValueFactory = _ => TimeSpan.FromMinutes(15) };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Deliver to a real cluster from this kubeconfig instead of the sandbox." };
        var context = new Option<string?>("--context") { Description = "The kubeconfig context to use." };

        var command = new Command("up", "Plan, render, validate and deliver a stack to the embedded sandbox cluster, then show where everything runs.");
        command.Arguments.Add(stack);
        foreach (var option in new Option[] { cluster, state, fresh, timeout, kubeconfig, context })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(kubeconfig) is not null || parse.GetValue(context) is not null)
            {
                await terminal.Error.WriteLineAsync("keelson: delivery to a real cluster (--kubeconfig/--context) is not available in this build yet; `keelson render -o DIR` writes manifests for kubectl apply").ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            var plan = await StackLoader.PlanAsync(parse.GetValue(stack)!, parse.GetValue(cluster), terminal, cancellationToken).ConfigureAwait(false);
            if (plan is null)
            {
                return KeelsonCli.BadInput;
            }

            var manifest = await ValidatedRender.RenderAsync(plan, new RenderOptions(), terminal).ConfigureAwait(false);
            if (manifest is null)
            {
                return KeelsonCli.Findings;
            }

            var directory = parse.GetValue(state)!;
            var engine = await SandboxStore.OpenAsync(directory, plan.Spec.Cluster, parse.GetValue(fresh), cancellationToken).ConfigureAwait(false);
            var objects = manifest.Objects.Select(o => o.Resource).ToList();
            engine.Context.Load = PlannedLoad.From(objects);
            var sandbox = new SandboxCluster(engine);
            var started = engine.Clock.GetUtcNow();
            await terminal.Error.WriteLineAsync($"keelson: delivering {objects.Count} objects of {manifest.Namespace} to {sandbox.Description}").ConfigureAwait(false);
            var progress = new LineProgress(terminal.Error, started);
            var result = await new Deployer(sandbox, new DeployOptions { Timeout = parse.GetValue(timeout) })
                .DeployAsync(manifest.Namespace, objects, progress, cancellationToken).ConfigureAwait(false);

            SandboxReport.Write(engine, manifest.Namespace, terminal.Console());
            await SandboxState.SaveAsync(engine, SandboxStore.PathOf(directory, plan.Spec.Cluster), cancellationToken).ConfigureAwait(false);
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
