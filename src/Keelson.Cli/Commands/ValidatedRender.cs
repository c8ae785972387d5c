using Keelson.Rendering;
using Keelson.Rendering.Output;
using Keelson.Validation;
using Keelson.Validation.Loading;

namespace Keelson.Cli.Commands;

/// <summary>Renders a plan and validates the result with the same validator as anyone's manifests: Keelson never emits or delivers what fails it.</summary>
internal static class ValidatedRender
{
    /// <summary>
    /// Loads, plans and renders a stack file: the manifest, or the exit code when a step failed (its errors printed):
    /// <see cref="KeelsonCli.BadInput"/> for a bad stack, <see cref="KeelsonCli.Findings"/> for invalid output.
    /// </summary>
    public static async Task<(Manifest? Manifest, int Exit)> LoadAsync(string stack, string? cluster, Terminal terminal, CancellationToken cancellationToken)
    {
        var plan = await StackLoader.PlanAsync(stack, cluster, terminal, cancellationToken).ConfigureAwait(false);
        if (plan is null)
        {
            return (null, KeelsonCli.BadInput);
        }

        var manifest = await RenderAsync(plan, new RenderOptions(), terminal).ConfigureAwait(false);
        return (manifest, manifest is null ? KeelsonCli.Findings : KeelsonCli.Ok);
    }

    /// <summary>The manifest, or null (errors printed) when the rendered objects fail validation.</summary>
    public static async Task<Manifest?> RenderAsync(Planning.Plan plan, RenderOptions options, Terminal terminal)
    {
        var manifest = ManifestRenderer.Default.Render(plan, options);
        var documents = new List<ManifestDocument>();
        var problems = new List<Finding>();
        ManifestLoader.Parse(ManifestYaml.Documents(manifest.Objects.Select(o => o.Resource)), manifest.Namespace + ".yaml", documents, problems);
        var report = Validator.Default.Validate(new LoadResult(documents, problems));
        if (report.Valid)
        {
            return manifest;
        }

        foreach (var f in report.Findings.Where(f => f.Severity == Severity.Error))
        {
            await terminal.Error.WriteLineAsync($"keelson: rendered {f.Target}: {f.CheckId}: {f.Message}").ConfigureAwait(false);
        }

        await terminal.Error.WriteLineAsync("keelson: the rendered manifests failed validation, which is a Keelson bug; nothing was written or applied").ConfigureAwait(false);
        return null;
    }
}
