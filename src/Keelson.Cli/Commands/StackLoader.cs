using Keelson.Spec.Model;
using Keelson.Spec.Parsing;
using Keelson.Spec.Profiles;

namespace Keelson.Cli.Commands;

/// <summary>Reads a stack file and an optional <c>--cluster</c> override, printing located errors.</summary>
internal static class StackLoader
{
    /// <summary>A built-in profile by name, or a cluster file; null (with the reason printed) when it is neither.</summary>
    public static async Task<ClusterProfile?> LoadClusterAsync(string cluster, Terminal terminal, CancellationToken cancellationToken)
    {
        if (ClusterProfiles.Find(cluster) is { } builtIn)
        {
            return builtIn;
        }

        if (!File.Exists(cluster))
        {
            await terminal.Error.WriteLineAsync($"keelson: --cluster '{cluster}' is neither a built-in profile ({string.Join(", ", ClusterProfiles.Names)}) nor a file").ConfigureAwait(false);
            return null;
        }

        var text = await File.ReadAllTextAsync(cluster, cancellationToken).ConfigureAwait(false);
        var profile = StackParser.ParseCluster(text, cluster);
        if (!profile.Succeeded)
        {
            await PrintAsync(profile.Diagnostics, terminal).ConfigureAwait(false);
            return null;
        }

        return profile.Value;
    }

    public static async Task<StackSpec?> LoadAsync(string path, string? cluster, Terminal terminal, CancellationToken cancellationToken)
    {
        ClusterProfile? clusterOverride = null;
        if (cluster is not null && (clusterOverride = await LoadClusterAsync(cluster, terminal, cancellationToken).ConfigureAwait(false)) is null)
        {
            return null;
        }

        ParseResult<StackSpec> result;
        try
        {
            var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            result = StackParser.Parse(text, path, clusterOverride);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            result = ParseResult.Failure<StackSpec>([new Diagnostic(DiagnosticCodes.Io, path, 1, 1, "", $"cannot read the file: {e.Message}")]);
        }

        if (!result.Succeeded)
        {
            await PrintAsync(result.Diagnostics, terminal).ConfigureAwait(false);
            return null;
        }

        return result.Value;
    }

    /// <summary>Loads and plans a stack, printing located errors; null when either step failed.</summary>
    public static async Task<Planning.Plan?> PlanAsync(string path, string? cluster, Terminal terminal, CancellationToken cancellationToken)
    {
        var spec = await LoadAsync(path, cluster, terminal, cancellationToken).ConfigureAwait(false);
        if (spec is null)
        {
            return null;
        }

        var result = Planning.Planner.Default.Plan(spec);
        if (!result.Succeeded)
        {
            await PrintAsync(result.Problems, terminal).ConfigureAwait(false);
            return null;
        }

        return result.Plan;
    }

    public static async Task PrintAsync(IReadOnlyList<Diagnostic> diagnostics, Terminal terminal)
    {
        foreach (var d in diagnostics)
        {
            await terminal.Error.WriteLineAsync(d.ToString()).ConfigureAwait(false);
        }

        await terminal.Error.WriteLineAsync($"{diagnostics.Count} error(s); nothing was produced.").ConfigureAwait(false);
    }
}
