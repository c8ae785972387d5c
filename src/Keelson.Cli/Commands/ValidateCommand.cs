using System.CommandLine;
using Keelson.Spec.Parsing;
using Keelson.Spec.Profiles;
using Keelson.Validation;
using Keelson.Validation.Loading;
using Keelson.Validation.Reporting;

namespace Keelson.Cli.Commands;

/// <summary><c>keelson validate PATH... [-] [--cluster PROFILE] [--output text|json] [--fail-on error|warning]</c>.</summary>
internal static class ValidateCommand
{
    public static Command Create(Terminal terminal, TextReader stdin)
    {
        var paths = new Argument<string[]>("paths") { Description = "Files, directories (recursively) or - for standard input.", Arity = ArgumentArity.OneOrMore };
        var cluster = new Option<string>("--cluster") { Description = "Cluster profile for the resource summary and cost.", DefaultValueFactory = _ => ClusterProfiles.Default };
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var failOn = new Option<string>("--fail-on") { Description = "Lowest severity that makes the exit code 1.", DefaultValueFactory = _ => "error" };
        failOn.AcceptOnlyFromAmong("error", "warning");

        var command = new Command("validate", "Validate Kubernetes manifests: schema against the official models, best practice, resource summary and cost.");
        command.Arguments.Add(paths);
        command.Options.Add(cluster);
        command.Options.Add(output);
        command.Options.Add(failOn);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var profile = ClusterProfiles.Find(parse.GetValue(cluster)!);
            if (profile is null)
            {
                var file = parse.GetValue(cluster)!;
                var parsed = File.Exists(file) ? StackParser.ParseCluster(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false), file) : null;
                if (parsed?.Value is null)
                {
                    await terminal.Error.WriteLineAsync($"keelson: --cluster '{file}' is neither a built-in profile ({string.Join(", ", ClusterProfiles.Names)}) nor a valid cluster file").ConfigureAwait(false);
                    return KeelsonCli.BadInput;
                }

                profile = parsed.Value;
            }

            var loaded = await ManifestLoader.LoadAsync(parse.GetValue(paths)!, stdin, cancellationToken).ConfigureAwait(false);
            var report = Validator.Default.Validate(loaded);
            var summary = ResourceSummary.Compute(report.Documents, profile);
            await terminal.Out.WriteAsync(parse.GetValue(output) == "json" ? ReportWriter.Json(report, summary) : ReportWriter.Text(report, summary)).ConfigureAwait(false);

            if (loaded.Problems.Count > 0)
            {
                return KeelsonCli.BadInput;
            }

            var threshold = parse.GetValue(failOn) == "warning" ? Severity.Warning : Severity.Error;
            return report.Findings.Any(f => f.Severity >= threshold) ? KeelsonCli.Findings : KeelsonCli.Ok;
        });
        return command;
    }
}
