using System.Diagnostics;
using Keelson.Spec.Profiles;
using Keelson.Validation.Loading;
using Keelson.Validation.Reporting;

namespace Keelson.Validation.Tests.Loading;

/// <summary>Manifests that crashed, hung or were misjudged by the loader and the resource summary.</summary>
public sealed class InputLimitsTests
{
    private static (List<ManifestDocument> Documents, List<Finding> Problems, TimeSpan Took) Parse(string text)
    {
        var documents = new List<ManifestDocument>();
        var problems = new List<Finding>();
        var clock = Stopwatch.StartNew();
        ManifestLoader.Parse(text, "m.yaml", documents, problems);
        return (documents, problems, clock.Elapsed);
    }

    [Theory]
    [InlineData(30_000)]
    [InlineData(100_000)]
    public void Nesting_beyond_the_limit_is_an_unreadable_finding_in_milliseconds(int depth)
    {
        // 100,000 levels took 39 s to validate.
        var (documents, problems, took) = Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata:\n  a: " + new string('[', depth) + new string(']', depth) + "\n");

        Assert.Empty(documents);
        var problem = Assert.Single(problems);
        Assert.Equal(ManifestLoader.UnreadableId, problem.CheckId);
        Assert.Equal(5, problem.Line);
        Assert.Contains("nested more than 128 levels", problem.Message, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(1), $"took {took}");
    }

    [Fact]
    public void Aliases_expanding_beyond_the_limit_are_an_unreadable_finding()
    {
        var lines = new List<string> { "apiVersion: v1", "kind: ConfigMap", "metadata: {name: x}", "x:", "  a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i < 10; i++)
        {
            lines.Add($"  a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]");
        }

        var (_, problems, took) = Parse(string.Join("\n", lines) + "\n");

        var problem = Assert.Single(problems);
        Assert.Contains("aliases expand this document", problem.Message, StringComparison.Ordinal);
        Assert.True(took < TimeSpan.FromSeconds(1), $"took {took}");
    }

    [Fact]
    public void Duplicate_keys_are_kept_on_their_object_and_the_later_value_is_read()
    {
        var (documents, problems, _) = Parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: '1', b: '2', a: '3'}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: y}\n");

        Assert.Empty(problems);
        Assert.Equal(2, documents.Count);
        var (path, entry) = Assert.Single(documents[0].DuplicateKeys);
        Assert.Equal("data", path);
        Assert.Equal("a", entry.Key);
        Assert.Equal("3", ((YamlMap)documents[0].Node.Get("data")!).Scalar("a"));
        Assert.Empty(documents[1].DuplicateKeys);
    }

    [Theory]
    [InlineData("")]
    [InlineData("---\n")]
    [InlineData("# only a comment\n")]
    public async Task Empty_standard_input_is_an_input_empty_error(string text)
    {
        var loaded = await ManifestLoader.LoadAsync(["-"], new StringReader(text), CancellationToken.None);

        var problem = Assert.Single(loaded.Problems);
        Assert.Equal(ManifestLoader.EmptyId, problem.CheckId);
        Assert.Equal("-", problem.File);
        Assert.False(Validator.Default.Validate(loaded).Valid);
    }

    [Fact]
    public async Task A_missing_path_is_an_unreadable_error_and_an_empty_file_inside_a_directory_is_skipped()
    {
        var directory = Directory.CreateTempSubdirectory("keelson-inputs-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "empty.yaml"), "");
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "one.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
            var missing = Path.Combine(directory.FullName, "nope.yaml");

            var loaded = await ManifestLoader.LoadAsync([directory.FullName, missing], null, CancellationToken.None);

            Assert.Single(loaded.Documents);
            var problem = Assert.Single(loaded.Problems);
            Assert.Equal((ManifestLoader.UnreadableId, missing, "no such file or directory"), (problem.CheckId, problem.File, problem.Message));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Huge_requests_and_replicas_are_summed_without_overflow_and_unplaced_pods_are_named()
    {
        // A memory request near 2^63 threw OverflowException; 1e10 CPUs showed as 0; 2^31 replicas would loop forever.
        var path = Keelson.Testing.Repo.File("tests", "Keelson.Validation.Tests", "regressions", "12-huge-requests.yaml");
        var loaded = await ManifestLoader.LoadAsync([path], null, CancellationToken.None);
        var clock = Stopwatch.StartNew();

        var summary = ResourceSummary.Compute(loaded.Documents, ClusterProfiles.Get(ClusterProfiles.Default));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
        Assert.Equal((3 * 10_000_000_000_000L) + (2147483647L * 100), summary.Cpu.Value);
        Assert.Equal(long.MaxValue, summary.Memory.Bytes);
        Assert.Equal(["huge"], summary.Unplaced);
        Assert.True(summary.Nodes.Values.Single() > 1_000_000);
        Assert.True(double.IsFinite(summary.MonthlyUsd) && summary.MonthlyUsd > 0);
        var text = ReportWriter.Text(Validator.Default.Validate(loaded), summary);
        Assert.Contains("not priced, fitting no node of the profile: huge.", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Findings_name_the_helm_template_of_their_object()
    {
        const string helm = "---\n# Source: shop/templates/web.yaml\napiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {type: NodePort, ports: [{port: 80}]}\n";

        var report = Fixtures.Validate(helm);

        var finding = Assert.Single(report.Findings, f => f.CheckId == "service-type");
        Assert.Equal("shop/templates/web.yaml", finding.Source);
        Assert.Contains("Service/web (template shop/templates/web.yaml)", ReportWriter.Text(report, ResourceSummary.Compute(report.Documents, ClusterProfiles.Get(ClusterProfiles.Default))), StringComparison.Ordinal);
        Assert.Contains("\"source\": \"shop/templates/web.yaml\"", ReportWriter.Json(report, ResourceSummary.Compute(report.Documents, ClusterProfiles.Get(ClusterProfiles.Default))), StringComparison.Ordinal);
    }
}
