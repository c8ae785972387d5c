using System.CommandLine;
using Keelson.Sandbox.Engine;
using Keelson.Spec.Model;

namespace Keelson.Cli.Commands;

/// <summary>Where the embedded sandbox keeps its state between commands: one file per cluster profile under <c>--state</c>.</summary>
internal static class SandboxStore
{
    /// <summary>The <c>--state</c> option shared by up, status, diff and down.</summary>
    public static Option<string> StateOption() => new("--state")
    {
        Description = "Directory holding the sandbox's state between commands.",
        DefaultValueFactory = _ => Path.Combine(".keelson", "sandbox"),
    };

    /// <summary>The state file of a profile's sandbox.</summary>
    public static string PathOf(string stateDirectory, ClusterProfile profile) => Path.Combine(stateDirectory, profile.Name + ".json");

    /// <summary>The saved sandbox of a profile, or a new one with each pool at its minimum.</summary>
    public static async Task<SandboxEngine> OpenAsync(string stateDirectory, ClusterProfile profile, bool fresh, CancellationToken cancellationToken) =>
        (fresh ? null : await SandboxState.LoadAsync(PathOf(stateDirectory, profile), null, cancellationToken).ConfigureAwait(false))
        ?? new SandboxEngine(profile);
}
