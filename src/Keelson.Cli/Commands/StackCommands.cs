using System.CommandLine;
using Keelson.Cli.Output;
using Keelson.Delivery;
using Keelson.Delivery.Diff;
using Keelson.Rendering;

namespace Keelson.Cli.Commands;

/// <summary><c>keelson status|diff|down STACK</c>: look at, compare with, or remove a delivered stack (sandbox or real cluster).</summary>
internal static class StackCommands
{
    public static Command Status(Terminal terminal) => Create(terminal, "status", "Show where a delivered stack runs: pods per node, pending pods, autoscalers, pools and cost.",
        async (_, target, manifest, cancellationToken) =>
        {
            var inventory = await Delivery.Inventory.Inventory.ReadAsync(target.Cluster, manifest.Namespace, cancellationToken).ConfigureAwait(false);
            if (inventory is null)
            {
                await terminal.Error.WriteLineAsync($"keelson: {manifest.Namespace} has not been delivered to {target.Cluster.Description}; run keelson up first").ConfigureAwait(false);
                return KeelsonCli.Findings;
            }

            await ClusterReport.WriteAsync(target.Cluster, manifest.Plan.Spec.Cluster, manifest.Namespace, terminal.Console(), cancellationToken).ConfigureAwait(false);
            await terminal.Error.WriteLineAsync($"keelson: {manifest.Namespace} at revision {inventory.Revision}, {inventory.Keys.Count} objects").ConfigureAwait(false);
            return KeelsonCli.Ok;
        });

    public static Command Diff(Terminal terminal) => Create(terminal, "diff", "Show what keelson up would change (exit 0: nothing, 1: changes), like kubectl diff.",
        async (_, target, manifest, cancellationToken) =>
        {
            var diffs = await Differ.DiffAsync(target.Cluster, manifest.Namespace, [.. manifest.Objects.Select(o => o.Resource)], cancellationToken).ConfigureAwait(false);
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
        async (_, target, manifest, cancellationToken) =>
        {
            var deleted = await new Deployer(target.Cluster).DeleteAsync(manifest.Namespace, null, cancellationToken).ConfigureAwait(false);
            var namespaceGone = await target.Cluster.DeleteAsync(new Delivery.Clusters.ObjectKey("v1", "Namespace", null, manifest.Namespace), cancellationToken).ConfigureAwait(false);
            await target.SaveAsync().ConfigureAwait(false);
            await terminal.Error.WriteLineAsync(deleted.Count == 0 && !namespaceGone
                ? $"keelson: {manifest.Namespace} was not delivered to {target.Cluster.Description}; nothing to delete"
                : $"keelson: deleted {deleted.Count} objects and namespace {manifest.Namespace} from {target.Cluster.Description}").ConfigureAwait(false);
            return KeelsonCli.Ok;
        });

    /// <summary>
    /// What every stack command shares: <c>STACK [--cluster]</c>, the cluster target options and its own
    /// (<paramref name="fresh"/> and <paramref name="extra"/>); loads, plans, renders and validates the stack, opens
    /// the cluster, then runs <paramref name="run"/>.
    /// </summary>
    internal static Command Create(
        Terminal terminal, string name, string description, Func<ParseResult, ClusterTarget, Manifest, CancellationToken, Task<int>> run, Option<bool>? fresh = null, params Option[] extra)
    {
        var stack = new Argument<string>("stack") { Description = "Stack file (YAML or JSON)." };
        var cluster = new Option<string?>("--cluster") { Description = "A built-in cluster profile or a cluster file, replacing the stack's own." };
        var target = ClusterTarget.CreateOptions();
        var command = new Command(name, description);
        command.Arguments.Add(stack);
        command.Options.Add(cluster);
        if (fresh is not null)
        {
            command.Options.Add(fresh);
        }

        foreach (var option in extra)
        {
            command.Options.Add(option);
        }

        target.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (manifest, exit) = await ValidatedRender.LoadAsync(parse.GetValue(stack)!, parse.GetValue(cluster), terminal, cancellationToken).ConfigureAwait(false);
            if (manifest is null)
            {
                return exit;
            }

            var startFresh = fresh is not null && parse.GetValue(fresh);
            await using var open = await ClusterTarget.TryOpenAsync(parse, target, manifest.Plan.Spec.Cluster, startFresh, terminal, cancellationToken).ConfigureAwait(false);
            return open is null ? KeelsonCli.BadInput : await run(parse, open, manifest, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
