using System.CommandLine;
using Keelson.Spec.Schema;

namespace Keelson.Cli.Commands;

/// <summary><c>keelson schema</c>: prints the JSON Schema of the stack format (the one in schemas/stack.schema.json).</summary>
internal static class SchemaCommand
{
    public static Command Create(Terminal terminal)
    {
        var command = new Command("schema", "Print the JSON Schema of the stack format, for editors.");
        command.SetAction(async (_, _) =>
        {
            await terminal.Out.WriteAsync(JsonSchemaWriter.Write(StackSchema.Stack)).ConfigureAwait(false);
            return KeelsonCli.Ok;
        });
        return command;
    }
}
