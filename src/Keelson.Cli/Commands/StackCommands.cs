using System.CommandLine;
using Keelson.Cli.Output;
using Keelson.Delivery;
using Keelson.Delivery.Diff;
using Keelson.Rendering;
using Keelson.Sandbox;
using Keelson.Sandbox.Engine;

namespace Keelson.Cli.Commands;

/// <summary><c>keelson status|diff|down STACK</c>: look at, compare with, or remove a stack delivered to the sandbox.</summary>
internal static class StackCommands
{
    public static Command Status(Terminal terminal) => Create(terminal, "status", "Show where a delivered stack runs: pods per node, pending pods, autoscalers, pools and cost.",
        async (engine, manifest, _, cancellationToken) =>
        {
            var inventory = await Delivery.Inventory.Inventory.ReadAsync(new SandboxCluster(engine), manifest.Namespace, cancellationToken).ConfigureAwait(false);
            if (inventory is null)
            {
                await terminal.Error.WriteLineAsync($"keelson: {manifest.Namespace} has not been delivered to {engine.Profile.Name}'s sandbox; run keelson up first").ConfigureAwait(false);
                return KeelsonCli.Findings;
            }

            SandboxReport.Write(engine, manifest.Namespace, terminal.Console());
            await terminal.Error.WriteLineAsync($"keelson: {manifest.Namespace} at revision {inventory.Revision}, {inventory.Keys.Count} objects").ConfigureAwait(false);
            return KeelsonCli.Ok;
        });

    public static Command Diff(Terminal terminal) => Create(terminal, "diff", "Show what keelson up would change (exit 0: nothing, 1: changes), like kubectl diff.",
        async (engine, manifest, _, cancellationToken) =>
        {
            var diffs = await Differ.DiffAsync(new SandboxCluster(engine), manifest.Namespace, [.. manifest.Objects.Select(o => o.Resource)], cancellationToken).ConfigureAwait(false);
            var changes = diffs.Where(d => d.Action != DiffAction.Unchanged).ToList();
            foreach (var change in changes)
            {
                await terminal.Out.WriteLineAsync($"{change.Action switch { DiffAction.Create => "+ create", DiffAction.Prune => "- prune ", _ => "~ update" }} {change.Key}").ConfigureAwait(false);
                await terminal.Out.WriteAsync(change.Action == DiffAction.Create ? "" : change.Patch).ConfigureAwait(false);
            }

            await terminal.Error.WriteLineAsync($"keelson: {changes.Count(c => c.Action == DiffAction.Create)} to create, {changes.Count(c => c.Action == DiffAction.Update)} to update, {changes.Count(c => c.Action == DiffAction.Prune)} to prune, {diffs.Count(d => d.Action == DiffAction.Unchanged)} unchanged").ConfigureAwait(false);
            return changes.Count == 0 ? KeelsonCli.Ok : KeelsonCli.Findings;
        });

    public static Command Down(Terminal terminal) => Create(terminal, "down", "Delete a delivered stack's objects and namespace from the sandbox.",
        async (engine, manifest, save, cancellationToken) =>
        {
            var sandbox = new SandboxCluster(engine);
            var deleted = await new Deployer(sandbox).DeleteAsync(manifest.Namespace, null, cancellationToken).ConfigureAwait(false);
            var namespaceGone = await sandbox.DeleteAsync(new Delivery.Clusters.ObjectKey("v1", "Namespace", null, manifest.Namespace), cancellationToken).ConfigureAwait(false);
            await save().ConfigureAwait(false);
            await terminal.Error.WriteLineAsync(deleted.Count == 0 && !namespaceGone
                ? $"keelson: {manifest.Namespace} was not delivered to {engine.Profile.Name}'s sandbox; nothing to delete"
                : $"keelson: deleted {deleted.Count} objects and namespace {manifest.Namespace} from {sandbox.Description}").ConfigureAwait(false);
            return KeelsonCli.Ok;
        });

    private static Command Create(Terminal terminal, string name, string description, Func<SandboxEngine, Manifest, Func<Task>, CancellationToken, Task<int>> run)
    {
        var stack = new Argument<string>("stack") { Description = "Stack file (YAML or JSON)." };
        var cluster = new Option<string?>("--cluster") { Description = "A built-in cluster profile or a cluster file, replacing the stack's own." };
        var state = SandboxStore.StateOption();
        var command = new Command(name, description);
        command.Arguments.Add(stack);
        command.Options.Add(cluster);
        command.Options.Add(state);
        command.SetAction(async (parse, cancellationToken) =>
        {
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
            var engine = await SandboxStore.OpenAsync(directory, plan.Spec.Cluster, fresh: false, cancellationToken).ConfigureAwait(false);
            return await run(engine, manifest, () => SandboxState.SaveAsync(engine, SandboxStore.PathOf(directory, plan.Spec.Cluster), cancellationToken), cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
