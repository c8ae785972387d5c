using System.CommandLine;
using Keelson.Cli.Output;
using Keelson.Planning;

namespace Keelson.Cli.Commands;

/// <summary><c>keelson plan STACK [--cluster PROFILE] [--output table|json|yaml]</c>.</summary>
internal static class PlanCommand
{
    public static Command Create(Terminal terminal)
    {
        var stack = new Argument<string>("stack") { Description = "Stack file (YAML or JSON)." };
        var cluster = new Option<string?>("--cluster") { Description = "A built-in cluster profile or a cluster file, replacing the stack's own." };
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json", "yaml");

        var command = new Command("plan", "Size, place and price a stack: replicas, nodes per pool, monthly cost and savings.");
        command.Arguments.Add(stack);
        command.Options.Add(cluster);
        command.Options.Add(output);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var spec = await StackLoader.LoadAsync(parse.GetValue(stack)!, parse.GetValue(cluster), terminal, cancellationToken).ConfigureAwait(false);
            if (spec is null)
            {
                return KeelsonCli.BadInput;
            }

            var result = Planner.Default.Plan(spec);
            if (!result.Succeeded)
            {
                await StackLoader.PrintAsync(result.Problems, terminal).ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            switch (parse.GetValue(output))
            {
                case "json":
                    await terminal.Out.WriteLineAsync(PlanDocument.ToJson(result.Plan!)).ConfigureAwait(false);
                    break;
                case "yaml":
                    await terminal.Out.WriteAsync(PlanDocument.ToYaml(result.Plan!)).ConfigureAwait(false);
                    break;
                default:
                    PlanTable.Write(result.Plan!, terminal.Console());
                    break;
            }

            return KeelsonCli.Ok;
        });
        return command;
    }
}
