using System.CommandLine;
using Keelson.Cli.Commands;

namespace Keelson.Cli;

/// <summary>The keelson command line; hosts call <see cref="RunAsync"/> with their own writers so tests can run it in-process.</summary>
public static class KeelsonCli
{
    /// <summary>Exit code: success.</summary>
    public const int Ok = 0;

    /// <summary>Exit code: findings at or above the failing severity.</summary>
    public const int Findings = 1;

    /// <summary>Exit code: unusable input (bad file, bad arguments).</summary>
    public const int BadInput = 2;

    /// <summary>Exit code: a bug in Keelson (EX_SOFTWARE).</summary>
    public const int InternalError = 70;

    /// <summary>Parses <paramref name="args"/> and runs the command; <paramref name="stdin"/> feeds <c>validate -</c>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken, TextReader? stdin = null)
    {
        var terminal = new Terminal(stdout, stderr);
        var root = new RootCommand("Keelson: right-sized, validated, costed Kubernetes platforms from a short stack description.");
        root.Subcommands.Add(PlanCommand.Create(terminal));
        root.Subcommands.Add(RenderCommand.Create(terminal));
        root.Subcommands.Add(ValidateCommand.Create(terminal, stdin ?? TextReader.Null));
        root.Subcommands.Add(UpCommand.Create(terminal));
        root.Subcommands.Add(StackCommands.Status(terminal));
        root.Subcommands.Add(StackCommands.Diff(terminal));
        root.Subcommands.Add(StackCommands.Down(terminal));
        root.Subcommands.Add(TopCommand.Create(terminal));
        root.Subcommands.Add(MetricsCommand.Create(terminal));
        root.Subcommands.Add(JobsCommand.Create(terminal));
        root.Subcommands.Add(ModelsCommand.Create(terminal));
        root.Subcommands.Add(SimulateCommand.Create(terminal));
        root.Subcommands.Add(ServeCommand.Create(terminal));
        root.Subcommands.Add(SandboxCommand.Create(terminal));
        root.Subcommands.Add(ProfilesCommand.Create(terminal));
        root.Subcommands.Add(SchemaCommand.Create(terminal));
        root.Subcommands.Add(DbCommand.Create(terminal));

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await stderr.WriteLineAsync($"keelson: {error.Message}").ConfigureAwait(false);
            }

            await stderr.WriteLineAsync("Run 'keelson --help' for usage.").ConfigureAwait(false);
            return BadInput;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is Delivery.Kubernetes.ClusterException or HttpRequestException)
        {
            // The cluster refused or could not be reached: the user's environment, not a Keelson bug.
            await stderr.WriteLineAsync($"keelson: the cluster: {e.Message}").ConfigureAwait(false);
            return Findings;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Input errors are reported as located diagnostics; anything reaching here is a Keelson bug.
            await stderr.WriteLineAsync($"keelson: internal error: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            await stderr.WriteLineAsync("This is a bug in Keelson; please report it with the input that caused it.").ConfigureAwait(false);
            return InternalError;
        }
    }
}
