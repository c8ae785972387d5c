using System.CommandLine;
using Keelson.Rendering;
using Keelson.Rendering.Output;

namespace Keelson.Cli.Commands;

/// <summary><c>keelson render STACK [-o DIR] [--format yaml|json|tree|helm|kustomize] [--monitoring true|false]</c>.</summary>
internal static class RenderCommand
{
    public static Command Create(Terminal terminal)
    {
        var stack = new Argument<string>("stack") { Description = "Stack file (YAML or JSON)." };
        var output = new Option<string?>("--output", "-o") { Description = "Output directory; yaml and json print to standard output without it." };
        var format = new Option<string>("--format", "-f") { Description = "Output format.", DefaultValueFactory = _ => "yaml" };
        format.AcceptOnlyFromAmong("yaml", "json", "tree", "helm", "kustomize");
        var cluster = new Option<string?>("--cluster") { Description = "A built-in cluster profile or a cluster file, replacing the stack's own." };
        var monitoring = new Option<bool?>("--monitoring") { Description = "Render monitoring objects (default: in prod)." };

        var command = new Command("render", "Render a stack into Kubernetes manifests: one YAML or JSON file, or the manifest tree.");
        command.Arguments.Add(stack);
        command.Options.Add(output);
        command.Options.Add(format);
        command.Options.Add(cluster);
        command.Options.Add(monitoring);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var directory = parse.GetValue(output);
            var chosen = parse.GetValue(format)!;
            if (chosen is "tree" or "helm" or "kustomize" && directory is null)
            {
                await terminal.Error.WriteLineAsync($"keelson: --format {chosen} writes a directory; give one with -o DIR").ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            var plan = await StackLoader.PlanAsync(parse.GetValue(stack)!, parse.GetValue(cluster), terminal, cancellationToken).ConfigureAwait(false);
            if (plan is null)
            {
                return KeelsonCli.BadInput;
            }

            var manifest = await ValidatedRender.RenderAsync(plan, new RenderOptions { Monitoring = parse.GetValue(monitoring) }, terminal).ConfigureAwait(false);
            if (manifest is null)
            {
                return KeelsonCli.Findings;
            }

            IReadOnlyList<OutputFile> files = chosen switch
            {
                "json" => [new OutputFile(manifest.Namespace + ".json", ManifestYaml.JsonList(manifest.Objects.Select(o => o.Resource)))],
                "tree" => TreeLayout.Files(manifest),
                "kustomize" => KustomizeLayout.Files(manifest),
                "helm" => HelmLayout.Files(manifest),
                _ => [new OutputFile(manifest.Namespace + ".yaml", ManifestYaml.Documents(manifest.Objects.Select(o => o.Resource)))],
            };

            if (directory is null)
            {
                await terminal.Out.WriteAsync(files[0].Content).ConfigureAwait(false);
                return KeelsonCli.Ok;
            }

            await OutputDirectory.WriteAsync(directory, files, cancellationToken).ConfigureAwait(false);
            await terminal.Error.WriteLineAsync($"keelson: wrote {manifest.Objects.Count} objects in {files.Count} file(s) to {directory}").ConfigureAwait(false);
            return KeelsonCli.Ok;
        });
        return command;
    }
}
