using System.CommandLine;
using System.Text.Json;
using Keelson.Cli.Output;
using Keelson.Rendering;
using Keelson.Sandbox.Simulation;
using Keelson.Spec.Load;
using Keelson.Spec.Parsing;

namespace Keelson.Cli.Commands;

/// <summary><c>keelson simulate STACK --load LOAD [--duration 24h] [--step 1m] [--fail node=NAME@6h]</c>.</summary>
internal static class SimulateCommand
{
    public static Command Create(Terminal terminal)
    {
        var stack = new Argument<string>("stack") { Description = "Stack file (YAML or JSON)." };
        var load = new Option<string>("--load") { Description = "Load file (kind: Load): shares of the sized peak by time of day.", Required = true };
        var duration = new Option<string>("--duration") { Description = "Simulated time, e.g. 24h.", DefaultValueFactory = _ => "24h" };
        var step = new Option<string>("--step") { Description = "Time between reconcile ticks and samples, e.g. 1m.", DefaultValueFactory = _ => "1m" };
        var fail = new Option<string[]>("--fail") { Description = "Lose a node at a time after midnight: node=NAME@6h (repeatable).", AllowMultipleArgumentsPerToken = false };
        var cluster = new Option<string?>("--cluster") { Description = "A built-in cluster profile or a cluster file, replacing the stack's own." };
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");

        var command = new Command("simulate", "Replay a day of load on the sandbox: replicas per component, nodes per pool, pending time, SLA minutes lost, cost.");
        command.Arguments.Add(stack);
        foreach (var option in new Option[] { load, duration, step, fail, cluster, output })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!Scalars.TryDuration(parse.GetValue(duration)!, out var period) || period <= TimeSpan.Zero || period > TimeSpan.FromDays(31))
            {
                await terminal.Error.WriteLineAsync($"keelson: --duration '{parse.GetValue(duration)}' is not a duration between 1s and 31d, such as 24h").ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            if (!Scalars.TryDuration(parse.GetValue(step)!, out var tick) || tick < TimeSpan.FromSeconds(1) || tick > period)
            {
                await terminal.Error.WriteLineAsync($"keelson: --step '{parse.GetValue(step)}' must be a duration of at least 1s and at most --duration, such as 1m").ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            var losses = new List<PlannedNodeLoss>();
            foreach (var text in parse.GetValue(fail) ?? [])
            {
                if (ParseFailure(text) is not { } loss)
                {
                    await terminal.Error.WriteLineAsync($"keelson: --fail '{text}' is not node=NAME@TIME, e.g. node=general-001@6h").ConfigureAwait(false);
                    return KeelsonCli.BadInput;
                }

                losses.Add(loss);
            }

            var plan = await StackLoader.PlanAsync(parse.GetValue(stack)!, parse.GetValue(cluster), terminal, cancellationToken).ConfigureAwait(false);
            if (plan is null)
            {
                return KeelsonCli.BadInput;
            }

            var loadPath = parse.GetValue(load)!;
            Spec.Parsing.ParseResult<LoadSpec> loadSpec;
            try
            {
                loadSpec = LoadParser.Parse(await File.ReadAllTextAsync(loadPath, cancellationToken).ConfigureAwait(false), loadPath, [.. plan.Components.Select(c => c.Name)]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                loadSpec = Spec.Parsing.ParseResult.Failure<LoadSpec>([new Diagnostic(DiagnosticCodes.Io, loadPath, 1, 1, "", $"cannot read the file: {e.Message}")]);
            }

            if (!loadSpec.Succeeded)
            {
                await StackLoader.PrintAsync(loadSpec.Diagnostics, terminal).ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            var manifest = await ValidatedRender.RenderAsync(plan, new RenderOptions(), terminal).ConfigureAwait(false);
            if (manifest is null)
            {
                return KeelsonCli.Findings;
            }

            SimulationReport report;
            try
            {
                report = await new DaySimulator().RunAsync(manifest, loadSpec.Value!, period, tick, losses, cancellationToken).ConfigureAwait(false);
            }
            catch (ArgumentException e) when (e.ParamName == "losses")
            {
                await terminal.Error.WriteLineAsync($"keelson: --fail: {e.Message[..e.Message.IndexOf(" (Parameter", StringComparison.Ordinal)]}").ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            if (parse.GetValue(output) == "json")
            {
                await terminal.Out.WriteLineAsync(JsonSerializer.Serialize(report, SimulationJson.Options)).ConfigureAwait(false);
            }
            else
            {
                SimulationTable.Write(report, terminal.Console());
            }

            return KeelsonCli.Ok;
        });
        return command;
    }

    private static PlannedNodeLoss? ParseFailure(string text)
    {
        var at = text.LastIndexOf('@');
        if (!text.StartsWith("node=", StringComparison.Ordinal) || at < 6 || !Scalars.TryDuration(text[(at + 1)..], out var after))
        {
            return null;
        }

        return new PlannedNodeLoss(text[5..at], after);
    }
}
