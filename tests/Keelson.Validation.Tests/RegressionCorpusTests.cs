using Keelson.Spec.Profiles;
using Keelson.Testing;
using Keelson.Validation.Loading;
using Keelson.Validation.Reporting;

namespace Keelson.Validation.Tests;

/// <summary>
/// One file per class of problem the robustness review found (issue 11), written for these tests. The header names the
/// ids under test (<c># checks: id, ...</c>) and every finding of those ids the file must produce, exactly, as
/// <c>id/severity@line</c> (<c># expect: ...</c> or <c># expect: none</c>); findings of other ids are not judged here.
/// </summary>
public sealed class RegressionCorpusTests
{
    private static string Directory => Repo.File("tests", "Keelson.Validation.Tests", "regressions");

    public static TheoryData<string> Files() => [.. System.IO.Directory.EnumerateFiles(Directory, "*.yaml").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Files))]
    public async Task File_produces_exactly_the_expected_findings_of_the_ids_under_test(string name)
    {
        var path = Path.Combine(Directory, name);
        var (ids, expected) = Header(path);

        var report = Validator.Default.Validate(await ManifestLoader.LoadAsync([path], null, CancellationToken.None));

        var actual = report.Findings.Where(f => ids.Contains(f.CheckId))
            .Select(f => $"{f.CheckId}/{f.Severity.ToString().ToLowerInvariant()}@{f.Line}")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public async Task Every_finding_takes_exactly_two_lines_of_the_text_report(string name)
    {
        // Values with newlines (a label "a\nb") must not break the layout: object header, finding line, fix line.
        var path = Path.Combine(Directory, name);
        var report = Validator.Default.Validate(await ManifestLoader.LoadAsync([path], null, CancellationToken.None));
        var summary = ResourceSummary.Compute(report.Documents, ClusterProfiles.Get(ClusterProfiles.Default));

        var lines = ReportWriter.Text(report, summary).TrimEnd('\n').Split('\n');

        var groups = report.Findings.Select(f => (f.File, f.Target?.ToString(), f.Source)).Distinct().Count();
        Assert.Equal(groups + (2 * report.Findings.Count) + 3, lines.Length);
        Assert.DoesNotContain(lines, l => l.Any(c => char.IsControl(c)));
    }

    [Fact]
    public async Task No_message_says_unset()
    {
        var all = System.IO.Directory.EnumerateFiles(Directory, "*.yaml").Concat(System.IO.Directory.EnumerateFiles(Repo.File("tests", "Keelson.Validation.Tests", "corpus")));

        var report = Validator.Default.Validate(await ManifestLoader.LoadAsync(all, null, CancellationToken.None));

        Assert.DoesNotContain(report.Findings, f => f.Message.Contains("(unset)", StringComparison.Ordinal));
        Assert.Contains(report.Findings, f => f.Message.StartsWith("objects without metadata.namespace", StringComparison.Ordinal));
    }

    private static (HashSet<string> Ids, List<string> Expected) Header(string path)
    {
        var lines = File.ReadLines(path).Take(2).ToList();
        Assert.True(lines.Count == 2 && lines[0].StartsWith("# checks:", StringComparison.Ordinal) && lines[1].StartsWith("# expect:", StringComparison.Ordinal),
            $"{Path.GetFileName(path)} must start with '# checks:' and '# expect:' lines");

        static string[] Items(string line) => line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var ids = Items(lines[0]).ToHashSet(StringComparer.Ordinal);
        var known = Validator.AllFindingIds.ToHashSet(StringComparer.Ordinal);
        Assert.All(ids, id => Assert.Contains(id, known));
        var expected = Items(lines[1]);
        return (ids, expected is ["none"] ? [] : [.. expected.Order(StringComparer.Ordinal)]);
    }
}
