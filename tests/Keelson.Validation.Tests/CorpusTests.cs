using Keelson.Testing;
using Keelson.Validation.Loading;

namespace Keelson.Validation.Tests;

/// <summary>
/// Real-world style manifests (hand-written, Helm-rendered, kubectl output, JSON, List kinds) with known problems.
/// The first line of each file (of <c>NAME.json.expect</c> for JSON files) is <c># expect: id, id, ...</c> or
/// <c># expect: none</c>: the set of distinct finding ids <see cref="Validator.Default"/> must produce for the file.
/// </summary>
public sealed class CorpusTests
{
    private const string ExpectPrefix = "# expect:";

    private static readonly string[] ManifestExtensions = [".yaml", ".yml", ".json"];

    private static string CorpusDirectory => Repo.File("tests", "Keelson.Validation.Tests", "corpus");

    public static TheoryData<string> CorpusFiles() => [.. Files().Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(CorpusFiles))]
    public async Task Corpus_file_produces_exactly_the_expected_finding_ids(string name)
    {
        var path = Path.Combine(CorpusDirectory, name);

        var loaded = await ManifestLoader.LoadAsync([path], null, CancellationToken.None);
        var report = Validator.Default.Validate(loaded);

        var actual = report.Findings.Select(f => f.CheckId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(Expectation(path), actual);
    }

    [Fact]
    public void Corpus_has_at_least_55_files_and_every_check_appears_in_some_expectation()
    {
        var files = Files();
        Assert.True(files.Count >= 55, $"the corpus has {files.Count} files; at least 55 are expected");

        // The regression corpus (tests/.../regressions) covers the checks added with it; opt-in checks have unit tests.
        var regressions = Directory.EnumerateFiles(Repo.File("tests", "Keelson.Validation.Tests", "regressions"), "*.yaml")
            .Select(f => File.ReadLines(f).Skip(1).First())
            .SelectMany(line => line["# expect:".Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(item => item.Split('/')[0]);
        var expected = files.SelectMany(Expectation).Concat(regressions).ToHashSet(StringComparer.Ordinal);
        var uncovered = Validator.Default.Checks.Where(c => c.EnabledByDefault).Select(c => c.Id)
            .Concat(Validator.Default.SetChecks.Select(c => c.Id))
            .Where(id => id != "capacity" && !expected.Contains(id))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Empty(uncovered);
    }

    [Fact]
    public void Every_expected_id_is_a_finding_id_the_validator_knows()
    {
        var known = Validator.Default.FindingIds.ToHashSet(StringComparer.Ordinal);

        var unknown = Files().SelectMany(f => Expectation(f).Where(id => !known.Contains(id)).Select(id => $"{Path.GetFileName(f)}: {id}")).ToList();

        Assert.Empty(unknown);
    }

    [Fact]
    public void Every_expect_sidecar_belongs_to_a_json_file()
    {
        var orphans = Directory.EnumerateFiles(CorpusDirectory, "*.expect")
            .Where(f => !f.EndsWith(".json.expect", StringComparison.Ordinal) || !File.Exists(f[..^".expect".Length]))
            .Select(f => Path.GetFileName(f))
            .ToList();

        Assert.Empty(orphans);
    }

    private static List<string> Files() =>
        [.. Directory.EnumerateFiles(CorpusDirectory)
            .Where(f => ManifestExtensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal)];

    /// <summary>The sorted ids on the <c># expect:</c> line of a corpus file, or of its sidecar for JSON.</summary>
    private static List<string> Expectation(string path)
    {
        var source = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? path + ".expect" : path;
        Assert.True(File.Exists(source), $"{Path.GetFileName(path)} has no {Path.GetFileName(source)} with its expectation");

        var first = File.ReadLines(source).FirstOrDefault() ?? "";
        Assert.True(first.StartsWith(ExpectPrefix, StringComparison.Ordinal), $"{Path.GetFileName(source)} does not start with '{ExpectPrefix}'");

        var ids = first[ExpectPrefix.Length..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return ids is ["none"] ? [] : [.. ids.Order(StringComparer.Ordinal)];
    }
}
