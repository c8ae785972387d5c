using System.Text.RegularExpressions;
using Keelson.Testing;

namespace Keelson.Validation.Tests;

/// <summary><c>--config</c> must accept every id docs/checks.md lists (it refused <c>capacity</c>), and opt-in checks run once configured.</summary>
public sealed partial class ConfigAcceptsDocumentedIdsTests
{
    [GeneratedRegex(@"^\| `([a-z0-9-]+)` \|", RegexOptions.Multiline)]
    private static partial Regex IdRow();

    [Fact]
    public void Every_id_in_the_tables_of_docs_checks_md_is_accepted()
    {
        var ids = IdRow().Matches(File.ReadAllText(Repo.File("docs", "checks.md"))).Select(m => m.Groups[1].Value)
            .Where(id => id.Contains('-', StringComparison.Ordinal) || id == "capacity").Distinct().ToList();
        Assert.Contains("capacity", ids);

        var (config, errors) = ValidationConfig.Parse("checks:\n" + string.Concat(ids.Select(id => $"  {id}: warning\n")), "c.yaml", Validator.AllFindingIds);

        Assert.Empty(errors);
        Assert.Equal(ids.Count, config!.Checks.Count);
    }

    [Fact]
    public void An_opt_in_check_runs_only_when_the_config_gives_it_a_severity()
    {
        var documents = new List<Keelson.Validation.Loading.ManifestDocument>();
        var problems = new List<Finding>();
        Keelson.Validation.Loading.ManifestLoader.Parse(Fixtures.GoodDeployment, "d.yaml", documents, problems);
        var loaded = new Keelson.Validation.Loading.LoadResult(documents, problems);
        var (on, _) = ValidationConfig.Parse("checks:\n  container-ephemeral-storage: warning\n", "c.yaml", Validator.AllFindingIds);

        Assert.DoesNotContain(Validator.Default.Validate(loaded).Findings, f => f.CheckId == "container-ephemeral-storage");
        var finding = Assert.Single(Validator.Default.Validate(loaded, on).Findings, f => f.CheckId == "container-ephemeral-storage");
        Assert.Equal(Severity.Warning, finding.Severity);
    }
}
