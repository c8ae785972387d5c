using System.CommandLine;
using Keelson.Spec.Profiles;
using Keelson.Validation;
using Keelson.Validation.Checks;
using Keelson.Validation.Loading;
using Keelson.Validation.Reporting;

namespace Keelson.Cli.Commands;

/// <summary><c>keelson validate PATH... [-] [--kube-version 1.31] [--cluster PROFILE] [--output text|json|sarif|junit] [--config FILE] [--fail-on error|warning]</c>.</summary>
internal static class ValidateCommand
{
    public static Command Create(Terminal terminal, TextReader stdin)
    {
        var paths = new Argument<string[]>("paths") { Description = "Files, directories (recursively) or - for standard input.", Arity = ArgumentArity.OneOrMore };
        var cluster = new Option<string?>("--cluster") { Description = "Cluster profile (built-in name or file): checks capacity against it and prices the summary on it (default aws-general, no capacity check)." };
        var kubeVersion = new Option<string>("--kube-version") { Description = "Kubernetes version to check API deprecations against.", DefaultValueFactory = _ => KubeVersion.Default.ToString() };
        var output = new Option<string>("--output", "-o") { Description = "Output format.", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json", "sarif", "junit");
        var config = new Option<string?>("--config") { Description = "YAML file turning checks off or changing their severity: checks: {image-tag: off}." };
        var failOn = new Option<string>("--fail-on") { Description = "Lowest severity that makes the exit code 1.", DefaultValueFactory = _ => "error" };
        failOn.AcceptOnlyFromAmong("error", "warning");

        var command = new Command("validate", "Validate Kubernetes manifests: schema against the official models, best practice, resource summary and cost.");
        command.Arguments.Add(paths);
        command.Options.Add(cluster);
        command.Options.Add(kubeVersion);
        command.Options.Add(output);
        command.Options.Add(config);
        command.Options.Add(failOn);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (!KubeVersion.TryParse(parse.GetValue(kubeVersion)!, out var version))
            {
                await terminal.Error.WriteLineAsync($"keelson: --kube-version '{parse.GetValue(kubeVersion)}' is not a version such as 1.31").ConfigureAwait(false);
                return KeelsonCli.BadInput;
            }

            var clusterName = parse.GetValue(cluster);
            var profile = await StackLoader.LoadClusterAsync(clusterName ?? ClusterProfiles.Default, terminal, cancellationToken).ConfigureAwait(false);
            if (profile is null)
            {
                return KeelsonCli.BadInput;
            }

            var validator = Validator.Create(version, clusterName is null ? null : profile);
            var settings = ValidationConfig.None;
            if (parse.GetValue(config) is { } configFile)
            {
                var text = File.Exists(configFile) ? await File.ReadAllTextAsync(configFile, cancellationToken).ConfigureAwait(false) : null;
                var (parsed, errors) = text is null ? (null, [$"{configFile}: no such file"]) : ValidationConfig.Parse(text, configFile, Validator.AllFindingIds);
                if (parsed is null)
                {
                    foreach (var error in errors)
                    {
                        await terminal.Error.WriteLineAsync("keelson: " + error).ConfigureAwait(false);
                    }

                    return KeelsonCli.BadInput;
                }

                settings = parsed;
            }

            var loaded = await ManifestLoader.LoadAsync(parse.GetValue(paths)!, stdin, cancellationToken).ConfigureAwait(false);
            var report = validator.Validate(loaded, settings);
            var summary = ResourceSummary.Compute(report.Documents, profile);
            var rules = validator.Checks.Select(c => (c.Id, c.Description)).Concat(validator.SetChecks.Select(c => (c.Id, c.Description)));
            await terminal.Out.WriteAsync(parse.GetValue(output) switch
            {
                "json" => ReportWriter.Json(report, summary),
                "sarif" => ReportWriter.Sarif(report, rules),
                "junit" => ReportWriter.JUnit(report),
                _ => ReportWriter.Text(report, summary),
            }).ConfigureAwait(false);

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
