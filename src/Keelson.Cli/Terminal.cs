using Spectre.Console;

namespace Keelson.Cli;

/// <summary>The writers a command prints to, and a Spectre console over standard output that colours only a real terminal.</summary>
public sealed class Terminal(TextWriter stdout, TextWriter stderr)
{
    /// <summary>Standard output.</summary>
    public TextWriter Out { get; } = stdout;

    /// <summary>Standard error.</summary>
    public TextWriter Error { get; } = stderr;

    /// <summary>A console for tables; plain text when output is redirected or NO_COLOR is set.</summary>
    public IAnsiConsole Console()
    {
        var interactive = ReferenceEquals(Out, System.Console.Out) && !System.Console.IsOutputRedirected
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Out),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive)
        {
            // Pipes and files have no width; keep rows on one line so output diffs cleanly.
            console.Profile.Width = 200;
        }

        return console;
    }
}
