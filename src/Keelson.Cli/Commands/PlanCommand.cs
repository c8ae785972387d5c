using System.CommandLine;
using Keelson.Cli.Output;

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
            var plan = await StackLoader.PlanAsync(parse.GetValue(stack)!, parse.GetValue(cluster), terminal, cancellationToken).ConfigureAwait(false);
            if (plan is null)
            {
                return KeelsonCli.BadInput;
            }

            switch (parse.GetValue(output))
            {
                case "json":
                    await terminal.Out.WriteLineAsync(PlanDocument.ToJson(plan)).ConfigureAwait(false);
                    break;
                case "yaml":
                    await terminal.Out.WriteAsync(PlanDocument.ToYaml(plan)).ConfigureAwait(false);
                    break;
                default:
                    PlanTable.Write(plan, terminal.Console());
                    break;
            }

            return KeelsonCli.Ok;
        });
        return command;
    }
}
