using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Keelson.Testing;

namespace Keelson.Cli.Tests.Robustness;

/// <summary>
/// Seeded fuzzing of <c>keelson plan</c> and <c>keelson validate</c> through the CLI's entry point, in-process: a few
/// hundred mutations of the example stacks and of the validation corpora. Every run must end with exit 0, 1 or 2,
/// print errors only as <c>file:line:column: error CODE: ...</c> lines (and the closing count), never compute Infinity
/// or NaN, and finish within 2 s. A failure names the seed, the source file and the mutation, so it can be replayed.
/// </summary>
public sealed partial class FuzzTests
{
    private const int Seed = 20261206;
    private const int StackCases = 150;
    private const int ManifestCases = 250;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
    private static readonly string[] NonFinite = ["Infinity", "NaN"];

    [GeneratedRegex(@"^.+:\d+:\d+: error K[SP]\d{3}: .*$")]
    private static partial Regex LocatedError();

    [GeneratedRegex(@"^\d+ error\(s\); nothing was produced\.$")]
    private static partial Regex Count();

    [Fact]
    public async Task Mutated_stacks_plan_or_fail_with_located_errors_quickly()
    {
        var sources = Repo.Examples.ToList();
        await WarmUp("plan", sources[0], "-o", "json");
        var mutator = new Mutator(Seed);
        var failures = new List<string>();
        for (var i = 0; i < StackCases; i++)
        {
            var source = sources[i % sources.Count];
            var (text, mutation) = mutator.Mutate(await File.ReadAllTextAsync(source));
            var output = i % 2 == 0 ? "json" : "table";
            failures.AddRange(await Judge($"stack case {i} ({Path.GetFileName(source)}, {mutation}, -o {output})", text, ".yaml", path => ["plan", path, "-o", output]));
        }

        Assert.True(failures.Count == 0, $"seed {Seed}:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task Mutated_manifests_validate_or_fail_with_located_errors_quickly()
    {
        var sources = Directory.EnumerateFiles(Repo.File("tests", "Keelson.Validation.Tests", "corpus"))
            .Concat(Directory.EnumerateFiles(Repo.File("tests", "Keelson.Validation.Tests", "regressions")))
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        await WarmUp("validate", sources[0]);
        var mutator = new Mutator(Seed + 1);
        var failures = new List<string>();
        for (var i = 0; i < ManifestCases; i++)
        {
            var source = sources[i % sources.Count];
            var (text, mutation) = mutator.Mutate(await File.ReadAllTextAsync(source));
            var format = (i % 4) switch { 0 => "json", 1 => "sarif", _ => "text" };
            failures.AddRange(await Judge($"manifest case {i} ({Path.GetFileName(source)}, {mutation}, -o {format})", text, Path.GetExtension(source), path => ["validate", path, "-o", format, "--cluster", "aws-general"]));
        }

        Assert.True(failures.Count == 0, $"seed {Seed + 1}:\n" + string.Join("\n", failures));
    }

    private static async Task WarmUp(params string[] args) => await Commands.Cli.Run(args);

    private static async Task<List<string>> Judge(string name, string text, string extension, Func<string, string[]> args)
    {
        var path = Path.Combine(Path.GetTempPath(), $"keelson-fuzz-{Guid.NewGuid():N}{extension}");
        await File.WriteAllTextAsync(path, text);
        try
        {
            var clock = Stopwatch.StartNew();
            var (exit, stdout, stderr) = await Commands.Cli.Run(args(path));
            var took = clock.Elapsed;

            var problems = new List<string>();
            if (exit is not (0 or 1 or 2))
            {
                problems.Add($"exit {exit}: {stderr.Trim()}");
            }

            var unlocated = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !LocatedError().IsMatch(l) && !Count().IsMatch(l)).ToList();
            if (unlocated.Count > 0)
            {
                problems.Add("unlocated error line: " + unlocated[0]);
            }

            // Computed figures must stay finite; a message may still quote a NaN the input itself holds.
            if (NonFinite.Any(t => stdout.Contains(t, StringComparison.Ordinal) && !text.Contains(t, StringComparison.Ordinal)))
            {
                problems.Add("output holds Infinity or NaN");
            }

            if (exit == 0 && args(path)[^1] == "json")
            {
                try
                {
                    using var _ = JsonDocument.Parse(stdout);
                }
                catch (JsonException e)
                {
                    problems.Add("exit 0 with unparseable JSON: " + e.Message);
                }
            }

            if (took > Budget)
            {
                problems.Add($"took {took.TotalSeconds:0.00} s");
            }

            return [.. problems.Select(p => $"{name}: {p}")];
        }
        finally
        {
            File.Delete(path);
        }
    }
}
